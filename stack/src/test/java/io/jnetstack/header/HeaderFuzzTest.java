package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.testing.FuzzCorpus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fuzz targets for every header factory: on any bytes, split anywhere between the packet's front
 * and a slice, a factory returns null exactly when the wire format's rules (written out again here,
 * independently, from the RFCs) say the header is malformed, and otherwise a view whose fields
 * all read without an exception and equal the bytes that arrived.
 *
 * <p>Input: the first byte picks where the packet's contiguous front ends (the rest arrives as a
 * slice, as after reassembly); the remaining bytes are the packet. Without {@code JAZZER_FUZZ} the
 * targets run over the committed corpus in {@code HeaderFuzzTestInputs/<target>/}; see README.md
 * for a fuzzing run.
 */
class HeaderFuzzTest {
    /** The packet an input describes, and its bytes as one array to check views against. */
    private record Input(PacketBuffer packet, ByteBuffer bytes) {
        static Input of(byte[] input) {
            if (input.length == 0) {
                return new Input(PacketBuffer.wrap(input, 0, 0), ByteBuffer.wrap(input));
            }
            byte[] bytes = Arrays.copyOfRange(input, 1, input.length);
            int front = bytes.length == 0 ? 0 : (input[0] & 0xff) % (bytes.length + 1);
            // Front and slice in arrays of their own, so a view that outlives a move reads the wrong array.
            PacketBuffer p = PacketBuffer.wrap(Arrays.copyOf(bytes, front), 0, front);
            p.appendSlice(Arrays.copyOfRange(bytes, front, bytes.length), 0, bytes.length - front);
            return new Input(p, ByteBuffer.wrap(bytes));
        }

        int length() {
            return bytes.limit();
        }

        int u8(int at) {
            return bytes.get(at) & 0xff;
        }

        int u16(int at) {
            return bytes.getShort(at) & 0xffff;
        }
    }

    private record Target(String name, Consumer<byte[]> check) {
    }

    /** The targets below, by index: the first byte of an {@link #anyHeader} input picks one. */
    private static final List<Target> TARGETS = List.of(new Target("ethernet", HeaderFuzzTest::checkEthernet),
            new Target("arp", HeaderFuzzTest::checkArp), new Target("ipv4", HeaderFuzzTest::checkIpv4),
            new Target("icmpv4", HeaderFuzzTest::checkIcmpv4), new Target("udp", HeaderFuzzTest::checkUdp),
            new Target("tcp", HeaderFuzzTest::checkTcp), new Target("ipv6", HeaderFuzzTest::checkIpv6),
            new Target("icmpv6", HeaderFuzzTest::checkIcmpv6));

    /**
     * All targets in one, for a bounded fuzzing run in CI (Jazzer fuzzes one target per JVM): the
     * first byte picks the target, the rest is that target's input.
     */
    @FuzzTest
    void anyHeader(byte[] data) {
        if (data.length > 0) {
            TARGETS.get((data[0] & 0xff) % TARGETS.size()).check().accept(Arrays.copyOfRange(data, 1, data.length));
        }
    }

    @FuzzTest
    void ethernet(byte[] data) {
        checkEthernet(data);
    }

    private static void checkEthernet(byte[] data) {
        Input in = Input.of(data);
        EthernetHeader eth = EthernetHeader.of(in.packet());
        assertEquals(in.length() >= EthernetHeader.LENGTH, eth != null);
        if (eth != null) {
            assertEquals(in.u16(12), eth.etherType());
            assertEquals((in.u8(0) & 1) != 0, eth.isGroupDestination());
            assertEquals(LinkAddress.of(in.bytes().array(), 0), eth.destination());
            assertEquals(LinkAddress.of(in.bytes().array(), 6), eth.source());
        }
    }

    @FuzzTest
    void arp(byte[] data) {
        checkArp(data);
    }

    private static void checkArp(byte[] data) {
        Input in = Input.of(data);
        ArpHeader arp = ArpHeader.of(in.packet());
        // RFC 826 with Ethernet (hardware type 1, length 6) and IPv4 (protocol 0x0800, length 4).
        boolean wellFormed = in.length() >= ArpHeader.LENGTH && in.u16(0) == 1 && in.u16(2) == 0x0800
                && in.u8(4) == 6 && in.u8(5) == 4;
        assertEquals(wellFormed, arp != null);
        if (arp != null) {
            assertEquals(in.u16(6), arp.operation());
            assertEquals(in.bytes().getInt(14), arp.senderProtocolAddress());
            assertEquals(in.bytes().getInt(24), arp.targetProtocolAddress());
            assertEquals(LinkAddress.of(in.bytes().array(), 8), arp.senderHardwareAddress());
            assertEquals(LinkAddress.of(in.bytes().array(), 18), arp.targetHardwareAddress());
        }
    }

    @FuzzTest
    void ipv4(byte[] data) {
        checkIpv4(data);
    }

    private static void checkIpv4(byte[] data) {
        Input in = Input.of(data);
        boolean headerPresent = in.length() >= 20 && in.u8(0) >>> 4 == 4 && (in.u8(0) & 0x0f) >= 5
                && in.length() >= (in.u8(0) & 0x0f) * 4;
        int headerLength = headerPresent ? (in.u8(0) & 0x0f) * 4 : -1;
        // RFC 791 §3.1: the total length counts header and data; RFC 792: a quote has 64 bits of data.
        boolean received = headerPresent && in.u16(2) >= headerLength && in.u16(2) <= in.length();
        boolean quoted = headerPresent && in.length() >= headerLength + 8;

        Ipv4Header ip = Ipv4Header.of(in.packet());
        assertEquals(received, ip != null);
        if (ip != null) {
            checkIpv4View(in, ip, headerLength);
        }
        Input again = Input.of(data);
        Ipv4Header quote = Ipv4Header.ofQuoted(again.packet());
        assertEquals(quoted, quote != null);
        if (quote != null) {
            checkIpv4View(again, quote, headerLength);
        }
    }

    private static void checkIpv4View(Input in, Ipv4Header ip, int headerLength) {
        assertEquals(headerLength, ip.headerLength());
        assertTrue(in.packet().frontLength() >= headerLength, "the header is contiguous");
        assertEquals(in.u16(2), ip.totalLength());
        assertEquals(in.u16(4), ip.identification());
        assertEquals(in.u8(8), ip.ttl());
        assertEquals(in.u8(9), ip.protocol());
        assertEquals(in.bytes().getInt(12), ip.source());
        assertEquals(in.bytes().getInt(16), ip.destination());
        assertEquals((in.u16(6) & 0x1fff) * 8, ip.fragmentOffset());
        ip.isFragment();
        ip.isChecksumValid(); // reads all headerLength bytes
        ip.fields();
    }

    @FuzzTest
    void ipv6(byte[] data) {
        checkIpv6(data);
    }

    private static void checkIpv6(byte[] data) {
        Input in = Input.of(data);
        // RFC 8200 §3: version 6 and the 40-byte fixed header; the payload length within what arrived.
        boolean headerPresent = in.length() >= Ipv6Header.LENGTH && in.u8(0) >>> 4 == 6;
        boolean received = headerPresent && Ipv6Header.LENGTH + in.u16(4) <= in.length();
        boolean quoted = headerPresent && in.length() >= Ipv6Header.LENGTH + 8;

        Ipv6Header ip = Ipv6Header.of(in.packet());
        assertEquals(received, ip != null);
        if (ip != null) {
            assertTrue(in.packet().frontLength() >= Ipv6Header.LENGTH, "the header is contiguous");
            assertEquals(in.u16(4), ip.payloadLength());
            assertEquals(in.u8(6), ip.nextHeader());
            assertEquals(in.u8(7), ip.hopLimit());
            assertEquals(IpAddress.of(in.bytes().array(), 8, 16), ip.source());
            assertEquals(IpAddress.of(in.bytes().array(), 24, 16), ip.destination());
            // Any chain ends within its bound, inside the packet, without an exception.
            Ipv6ExtensionHeaders.Walk walk = Ipv6ExtensionHeaders.walk(in.packet());
            assertTrue(walk.outcome != null && walk.offset <= in.length(), "walk ended at " + walk.offset);
        }
        assertEquals(quoted, Ipv6Header.ofQuoted(Input.of(data).packet()) != null);
    }

    @FuzzTest
    void icmpv6(byte[] data) {
        checkIcmpv6(data);
    }

    private static void checkIcmpv6(byte[] data) {
        Input in = Input.of(data);
        Icmpv6Header h = Icmpv6Header.of(in.packet());
        assertEquals(in.length() >= Icmpv6Header.LENGTH, h != null);
        if (h != null) {
            assertEquals(in.u8(0), h.type());
            assertEquals(in.u8(1), h.code());
            assertEquals(in.u16(2), h.checksum());
            assertEquals(in.bytes().getInt(4), h.word());
        }
    }

    @FuzzTest
    void icmpv4(byte[] data) {
        checkIcmpv4(data);
    }

    private static void checkIcmpv4(byte[] data) {
        Input in = Input.of(data);
        Icmpv4Header h = Icmpv4Header.of(in.packet());
        assertEquals(in.length() >= Icmpv4Header.LENGTH, h != null);
        if (h != null) {
            assertEquals(in.u8(0), h.type());
            assertEquals(in.u8(1), h.code());
            assertEquals(in.u16(2), h.checksum());
            assertEquals(in.u16(4), h.identifier());
            assertEquals(in.u16(6), h.sequence());
            assertEquals(in.u16(6), h.nextHopMtu());
        }
    }

    @FuzzTest
    void udp(byte[] data) {
        checkUdp(data);
    }

    private static void checkUdp(byte[] data) {
        Input in = Input.of(data);
        // RFC 768: the length counts the 8-byte header and the data.
        boolean wellFormed = in.length() >= UdpHeader.LENGTH && in.u16(4) >= UdpHeader.LENGTH && in.u16(4) <= in.length();
        UdpHeader udp = UdpHeader.of(in.packet());
        assertEquals(wellFormed, udp != null);
        if (udp != null) {
            assertEquals(in.u16(0), udp.sourcePort());
            assertEquals(in.u16(2), udp.destinationPort());
            assertEquals(in.u16(4), udp.length());
            assertEquals(in.u16(6), udp.checksum());
        }
        UdpHeader quote = UdpHeader.ofQuoted(Input.of(data).packet());
        assertEquals(in.length() >= UdpHeader.LENGTH, quote != null);
        if (quote != null) {
            assertEquals(in.u16(0), quote.sourcePort());
            assertEquals(in.u16(2), quote.destinationPort());
        }
    }

    @FuzzTest
    void tcp(byte[] data) {
        checkTcp(data);
    }

    private static void checkTcp(byte[] data) {
        Input in = Input.of(data);
        int headerLength = in.length() >= TcpHeader.MIN_LENGTH ? (in.u8(12) >>> 4) * 4 : -1;
        boolean wellFormed = headerLength >= TcpHeader.MIN_LENGTH && headerLength <= in.length();
        TcpHeader h = TcpHeader.of(in.packet());
        assertEquals(wellFormed, h != null);
        if (h != null) {
            assertEquals(headerLength, h.headerLength());
            assertTrue(in.packet().frontLength() >= headerLength, "the header is contiguous");
            assertEquals(in.u16(0), h.sourcePort());
            assertEquals(in.u16(2), h.destinationPort());
            assertEquals(in.bytes().getInt(4), h.sequenceNumber());
            assertEquals(in.bytes().getInt(8), h.ackNumber());
            assertEquals(in.u8(13), h.flags());
            assertEquals(in.u16(14), h.window());
            assertEquals(in.u16(18), h.urgentPointer());
            TcpOptions options = h.options();
            if (options != null) {
                checkOptionsSurviveEncoding(options);
            }
        }
        TcpHeader quote = TcpHeader.ofQuoted(Input.of(data).packet());
        assertEquals(in.length() >= 8, quote != null);
        if (quote != null) {
            assertEquals(in.u16(2), quote.destinationPort());
            assertEquals(in.bytes().getInt(4), quote.sequenceNumber());
        }
    }

    /** Whatever options parse, encoding them and parsing the result gives the same options. */
    private static void checkOptionsSurviveEncoding(TcpOptions options) {
        byte[] encoded = new byte[options.encodedLength()];
        assertEquals(encoded.length, options.encode(encoded, 0));
        assertEquals(options, TcpOptions.parse(encoded, 0, encoded.length));
    }

    /** Where the front ends in a seed: all in the front, or split inside the fixed header. */
    private static final int[] SEED_SPLITS = {0xff, 7};

    /** Seeds for one target: the kernel's frames from {@code at} on, each split both ways. */
    private static Map<String, byte[]> seeds(int at, String... frames) {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : frames) {
            byte[] frame = VethFrames.frame(name);
            for (int split : SEED_SPLITS) {
                byte[] seed = new byte[1 + frame.length - at];
                seed[0] = (byte) split;
                System.arraycopy(frame, at, seed, 1, frame.length - at);
                seeds.put(name + "-split-" + split, seed);
            }
        }
        return seeds;
    }

    /** Writes the seed corpus from the kernel's captures (vectors/veth-*.hex); run from the module directory. */
    public static void main(String[] args) throws IOException {
        int ip = VethFrames.IP_AT;
        int transport = VethFrames.TRANSPORT_AT;
        // The port-unreachable error quotes the closed-port datagram's IPv4 header and UDP header.
        int quotedIp = transport + Icmpv4Header.LENGTH;
        int quotedUdp = quotedIp + Ipv4Header.MIN_LENGTH;
        List<Map<String, byte[]>> perTarget = List.of(
                seeds(0, "arp-request", "icmp-echo-reply"),
                seeds(ip, "arp-request", "arp-reply"),
                merged(seeds(ip, "icmp-echo-request", "udp-datagram", "tcp-syn", "ipv4-fragment-1",
                        "ipv4-fragment-2", "ipv4-fragment-3"), "quoted-", seeds(quotedIp, "icmp-port-unreachable")),
                seeds(transport, "icmp-echo-request", "icmp-port-unreachable"),
                merged(seeds(transport, "udp-datagram", "udp-to-closed-port"), "quoted-",
                        seeds(quotedUdp, "icmp-port-unreachable")),
                seeds(transport, "tcp-syn", "tcp-syn-ack", "tcp-ack", "tcp-data", "tcp-fin-ack"));
        Map<String, byte[]> any = new LinkedHashMap<>();
        for (int t = 0; t < perTarget.size(); t++) {
            String target = TARGETS.get(t).name();
            FuzzCorpus.write(HeaderFuzzTest.class, target, perTarget.get(t));
            for (Map.Entry<String, byte[]> seed : perTarget.get(t).entrySet()) {
                byte[] selected = new byte[seed.getValue().length + 1];
                selected[0] = (byte) t;
                System.arraycopy(seed.getValue(), 0, selected, 1, seed.getValue().length);
                any.put(target + "-" + seed.getKey(), selected);
            }
        }
        FuzzCorpus.write(HeaderFuzzTest.class, "anyHeader", any);
    }

    private static Map<String, byte[]> merged(Map<String, byte[]> seeds, String prefix, Map<String, byte[]> more) {
        Map<String, byte[]> out = new LinkedHashMap<>(seeds);
        more.forEach((name, bytes) -> out.put(prefix + name, bytes));
        return out;
    }
}
