package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jnetstack.address.IpAddress;
import io.jnetstack.address.IpSubnet;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Icmpv4Header;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.UdpHeader;
import io.jnetstack.link.DeliveryMode;
import io.jnetstack.link.PipeLink;
import io.jnetstack.network.NetworkProtocols;
import io.jnetstack.testing.FuzzCorpus;
import io.jnetstack.testing.ManualExecutor;
import io.jnetstack.testing.Vectors;
import io.jnetstack.time.ManualClock;
import io.jnetstack.transport.tcp.TcpEndpoint;
import io.jnetstack.transport.tcp.TcpProtocol;
import io.jnetstack.transport.tcp.TcpState;
import io.jnetstack.transport.udp.UdpEndpoint;
import io.jnetstack.transport.udp.UdpProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fuzz target for the inbound path: arbitrary frames arrive from the wire at a host stack that has
 * a TCP listener, a bound UDP endpoint and an established TCP connection to its peer. Nothing may
 * throw, every frame must be counted exactly once, and afterwards the host still serves: the
 * connection echoes (unless the input aimed segments at it, which may legitimately reset it or
 * take its sequence space), a new connection to the listener completes and echoes, and a datagram
 * reaches the UDP endpoint. Before these checks the real peer announces its link address again,
 * as an input may have spoofed it.
 *
 * <p>The addresses are those of the kernel captures in {@code vectors/veth-*.hex} (the host is
 * 198.18.5.2, the peer 198.18.5.1), so those real frames are the seeds as they are. An input is a
 * sequence of at most {@value #MAX_FRAMES} records: one flags byte, a 16-bit big-endian length,
 * then that many bytes of frame (fewer if the input ends). Flags: {@value #FIX_CHECKSUMS} computes
 * the IPv4 and transport checksums, so that the fuzzer reaches past them; {@value #AIM} points a
 * TCP segment at the established connection (its addresses, ports, and sequence and acknowledgment
 * numbers taken as offsets from what the host expects); {@value #THEN_ADVANCE_CLOCK} lets one
 * second pass after the frame, so timers (reassembly, retransmission, delayed ACK) run.
 */
class InboundFuzzTest {
    static final int FIX_CHECKSUMS = 1;
    static final int AIM = 2;
    static final int THEN_ADVANCE_CLOCK = 4;
    static final int MAX_FRAMES = 64;

    private static final IpAddress PEER = IpAddress.parse("198.18.5.1");
    private static final IpAddress HOST = IpAddress.parse("198.18.5.2");
    private static final LinkAddress PEER_MAC = LinkAddress.parse("52:c9:72:a9:8b:47");
    private static final LinkAddress HOST_MAC = LinkAddress.parse("da:a1:98:05:ad:f4");
    /** The ports of the captures: TCP to 6000 from 40002, UDP to 5000. */
    private static final int TCP_PORT = 6000;
    private static final int PEER_TCP_PORT = 40002;
    private static final int UDP_PORT = 5000;
    private static final int IP_AT = EthernetHeader.LENGTH;

    @FuzzTest
    void frames(byte[] input) throws IOException {
        try (Network net = new Network()) {
            boolean aimed = false;
            ByteBuffer records = ByteBuffer.wrap(input);
            for (int i = 0; i < MAX_FRAMES && records.remaining() >= 3; i++) {
                int flags = records.get() & 0xff;
                byte[] frame = new byte[Math.min(records.getShort() & 0xffff, records.remaining())];
                records.get(frame);
                if ((flags & AIM) != 0) {
                    aimed |= net.aimAtConnection(frame);
                }
                if ((flags & FIX_CHECKSUMS) != 0) {
                    fixChecksums(frame);
                }
                net.inject(frame);
                if ((flags & THEN_ADVANCE_CLOCK) != 0) {
                    net.advance(Duration.ofSeconds(1));
                }
            }
            // ARP cannot tell a spoofed sender from a real one (RFC 826): an input may have moved the
            // host's entry for the peer to another link address. The real peer's next ARP request
            // (its answer to the host's probe, where neighbour reachability probes) puts it back.
            net.inject(veth("arp-request"));
            net.checkEveryFrameCountedOnce();
            if (!aimed) {
                net.echo(net.client, net.server, "established");
            }
            net.checkListenerServes();
            net.checkUdpServes();
        }
    }

    /** Two stacks on a pipe with the captures' addresses; the host listens, has a UDP socket and one connection. */
    private static final class Network implements AutoCloseable {
        final ManualClock clock = new ManualClock();
        final ManualExecutor wire = new ManualExecutor();
        final PipeLink.Pair pipe = PipeLink.pair(1500, PEER_MAC, HOST_MAC, DeliveryMode.on(wire));
        final TcpProtocol peerTcp = new TcpProtocol();
        final TcpProtocol hostTcp = new TcpProtocol();
        final UdpProtocol peerUdp = new UdpProtocol();
        final UdpProtocol hostUdp = new UdpProtocol();
        // Dual-stack, so that frames the fuzzer turns into IPv6 (and the NICs' own NDP) go through IPv6 too.
        final Stack peer = Stack.builder().network(NetworkProtocols.ipv4AndIpv6()).clock(clock).sameThreadProcessors()
                .transport(peerUdp).transport(peerTcp).build();
        final Stack host = Stack.builder().network(NetworkProtocols.ipv4AndIpv6()).clock(clock).sameThreadProcessors()
                .transport(hostUdp).transport(hostTcp).build();
        final TcpEndpoint listener;
        final UdpEndpoint udpSocket;
        final TcpEndpoint client;
        final TcpEndpoint server;
        private int probes;

        Network() throws IOException {
            peer.createNic("peer", pipe.a()).addAddress(new IpSubnet(PEER, 24));
            host.createNic("host", pipe.b()).addAddress(new IpSubnet(HOST, 24));
            listener = hostTcp.newEndpoint();
            listener.bind(HOST, TCP_PORT);
            listener.listen(16);
            udpSocket = hostUdp.newEndpoint();
            udpSocket.bind(HOST, UDP_PORT);
            client = peerTcp.newEndpoint();
            client.bind(PEER, PEER_TCP_PORT);
            server = connect(client);
        }

        /** Connects {@code c} to the listener and returns the host's side of the connection. */
        private TcpEndpoint connect(TcpEndpoint c) throws IOException {
            c.connect(HOST, TCP_PORT);
            wire.runPending();
            assertEquals(TcpState.ESTABLISHED, c.state(), "the listener completes a handshake");
            // Injected segments cannot complete a handshake (they cannot know the host's ISN), but
            // look for the peer's port rather than trust that the first connection queued is it.
            for (TcpEndpoint accepted = listener.accept(); accepted != null; accepted = listener.accept()) {
                if (accepted.remotePort() == c.localPort()) {
                    return accepted;
                }
            }
            throw new AssertionError("the listener did not queue the connection from port " + c.localPort());
        }

        void inject(byte[] frame) {
            pipe.a().writeFrame(PacketBuffer.wrap(frame, 0, frame.length));
            wire.runPending();
        }

        void advance(Duration d) {
            clock.advance(d);
            wire.runPending();
        }

        /** Makes a TCP segment one of the established connection's; false if the frame holds none. */
        boolean aimAtConnection(byte[] frame) {
            ByteBuffer f = ByteBuffer.wrap(frame);
            if (frame.length < IP_AT + Ipv4Header.MIN_LENGTH || (f.get(IP_AT + 9) & 0xff) != Ipv4Header.PROTOCOL_TCP) {
                return false;
            }
            int tcpAt = IP_AT + (f.get(IP_AT) & 0x0f) * 4;
            if (tcpAt + TcpHeader.MIN_LENGTH > frame.length) {
                return false;
            }
            HOST_MAC.writeTo(frame, 0);
            f.putInt(IP_AT + 12, PEER.toInt());
            f.putInt(IP_AT + 16, HOST.toInt());
            f.putShort(tcpAt, (short) PEER_TCP_PORT);
            f.putShort(tcpAt + 2, (short) TCP_PORT);
            f.putInt(tcpAt + 4, f.getInt(tcpAt + 4) + server.info().rcvNxt());
            f.putInt(tcpAt + 8, f.getInt(tcpAt + 8) + server.info().sndNxt());
            return true;
        }

        /**
         * Every frame the wire handed to a stack was counted once as received, and once under
         * exactly one outcome: a frame counted twice went through a parser that threw.
         */
        void checkEveryFrameCountedOnce() {
            checkCountedOnce(host, pipe.a().stats().delivered().frames());
            checkCountedOnce(peer, pipe.b().stats().delivered().frames());
        }

        private static void checkCountedOnce(Stack s, long delivered) {
            Counters<StackCounter> c = s.stats();
            assertEquals(delivered, c.get(StackCounter.FRAMES_RECEIVED), "frames received by " + s);
            long outcomes = c.get(StackCounter.FRAMES_MALFORMED) + c.get(StackCounter.FRAMES_NOT_FOR_US)
                    + c.get(StackCounter.FRAMES_UNKNOWN_ETHERTYPE) + c.get(StackCounter.FRAMES_NIC_DISABLED)
                    + c.get(StackCounter.ARP_RECEIVED) + c.get(StackCounter.IPV4_RECEIVED)
                    + c.get(StackCounter.IPV6_RECEIVED);
            assertEquals(delivered, outcomes, "one outcome per frame: " + c);
        }

        /** {@code from} sends a probe, {@code to} echoes all it has; {@code from} must get its probe back last. */
        void echo(TcpEndpoint from, TcpEndpoint to, String what) throws IOException {
            byte[] probe = ("probe " + ++probes).getBytes(StandardCharsets.US_ASCII);
            assertEquals(probe.length, from.write(ByteBuffer.wrap(probe)), what + " connection takes a write");
            wire.runPending();
            byte[] arrived = readAll(to);
            assertEquals(arrived.length, to.write(ByteBuffer.wrap(arrived)), what + " connection echoes");
            wire.runPending();
            byte[] echoed = readAll(from);
            assertTrue(echoed.length >= probe.length, what + " connection echoed " + echoed.length + " bytes");
            assertArrayEquals(probe, Arrays.copyOfRange(echoed, echoed.length - probe.length, echoed.length),
                    what + " connection echoed its probe last");
        }

        private static byte[] readAll(TcpEndpoint e) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (e.read(b.clear()) > 0) {
                out.write(b.array(), 0, b.position());
            }
            return out.toByteArray();
        }

        void checkListenerServes() throws IOException {
            TcpEndpoint newClient = peerTcp.newEndpoint();
            echo(newClient, connect(newClient), "a new");
        }

        void checkUdpServes() throws IOException {
            while (udpSocket.receive() != null) {
                // what the input delivered; the probe comes after it
            }
            byte[] probe = "udp probe".getBytes(StandardCharsets.US_ASCII);
            peerUdp.newEndpoint().send(ByteBuffer.wrap(probe), HOST, UDP_PORT);
            wire.runPending();
            UdpEndpoint.Datagram d = udpSocket.receive();
            assertNotNull(d, "the UDP endpoint still receives");
            assertArrayEquals(probe, d.data());
        }

        @Override
        public void close() {
            peer.close();
            host.close();
            pipe.close();
        }
    }

    /** Sets the IPv4 header checksum and, for a whole ICMP message, UDP datagram or TCP segment, its checksum. */
    static void fixChecksums(byte[] frame) {
        ByteBuffer f = ByteBuffer.wrap(frame);
        if (frame.length < IP_AT + Ipv4Header.MIN_LENGTH || (f.getShort(12) & 0xffff) != EthernetHeader.TYPE_IPV4) {
            return;
        }
        int headerLength = (f.get(IP_AT) & 0x0f) * 4;
        if (headerLength < Ipv4Header.MIN_LENGTH || IP_AT + headerLength > frame.length) {
            return;
        }
        Ipv4Header ip = new Ipv4Header(frame, IP_AT);
        ip.updateChecksum();
        int at = IP_AT + headerLength;
        int length = ip.totalLength() - headerLength;
        if (ip.isFragment() || length < 0 || at + length > frame.length) {
            return;
        }
        int pseudo = Checksum.ipv4PseudoHeader(ip.source(), ip.destination(), ip.protocol(), length);
        switch (ip.protocol()) {
            case Ipv4Header.PROTOCOL_TCP -> {
                if (length >= TcpHeader.MIN_LENGTH) {
                    TcpHeader h = new TcpHeader(frame, at);
                    h.setChecksum(0);
                    h.setChecksum(Checksum.finish(Checksum.add(pseudo, frame, at, length)));
                }
            }
            case Ipv4Header.PROTOCOL_UDP -> {
                if (length >= UdpHeader.LENGTH) {
                    f.putShort(at + 6, (short) 0); // summed as zero; setChecksum(0) would write all ones
                    new UdpHeader(frame, at).setChecksum(Checksum.finish(Checksum.add(pseudo, frame, at, length)));
                }
            }
            case Ipv4Header.PROTOCOL_ICMP -> {
                if (length >= Icmpv4Header.LENGTH) {
                    Icmpv4Header h = new Icmpv4Header(frame, at);
                    h.setChecksum(0);
                    h.setChecksum(Checksum.finish(Checksum.add(0, frame, at, length)));
                }
            }
            default -> {
                // no transport checksum this target knows
            }
        }
    }

    /** One record of an input: flags, length, frame. */
    static byte[] record(int flags, byte[] frame) {
        return ByteBuffer.allocate(3 + frame.length).put((byte) flags).putShort((short) frame.length).put(frame).array();
    }

    private static byte[] veth(String name) {
        return Vectors.frame("veth-" + name + ".hex");
    }

    /** A captured segment with sequence and acknowledgment numbers zeroed, to be aimed at the connection. */
    private static byte[] aimable(String name) {
        byte[] frame = veth(name);
        int tcpAt = IP_AT + Ipv4Header.MIN_LENGTH;
        ByteBuffer.wrap(frame).putInt(tcpAt + 4, 0).putInt(tcpAt + 8, 0);
        return frame;
    }

    private static byte[] concat(byte[]... records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.writeBytes(r);
        }
        return out.toByteArray();
    }

    /** The seed corpus: the kernel's frames one by one, as exchanges, and aimed at the connection. */
    static Map<String, byte[]> seeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : new String[] {"arp-request", "arp-reply", "icmp-echo-request", "icmp-echo-reply",
                "icmp-port-unreachable", "udp-datagram", "udp-to-closed-port", "tcp-syn", "tcp-syn-ack", "tcp-ack",
                "tcp-data", "tcp-fin-ack", "ipv4-fragment-1", "ipv4-fragment-2", "ipv4-fragment-3"}) {
            seeds.put(name, record(0, veth(name)));
        }
        seeds.put("fragmented-echo-request", concat(record(0, veth("ipv4-fragment-1")),
                record(0, veth("ipv4-fragment-2")), record(0, veth("ipv4-fragment-3"))));
        seeds.put("fragments-then-reassembly-timeout", concat(record(0, veth("ipv4-fragment-1")),
                record(THEN_ADVANCE_CLOCK, veth("ipv4-fragment-3")), record(THEN_ADVANCE_CLOCK, new byte[0])));
        seeds.put("syn-then-handshake-segments", concat(record(0, veth("tcp-syn")), record(0, veth("tcp-ack")),
                record(0, veth("tcp-data")), record(0, veth("tcp-fin-ack"))));
        seeds.put("aimed-data", record(AIM | FIX_CHECKSUMS, aimable("tcp-data")));
        seeds.put("aimed-data-then-fin", concat(record(AIM | FIX_CHECKSUMS, aimable("tcp-data")),
                record(AIM | FIX_CHECKSUMS | THEN_ADVANCE_CLOCK, aimable("tcp-fin-ack"))));
        seeds.put("aimed-syn", record(AIM | FIX_CHECKSUMS, aimable("tcp-syn")));
        seeds.put("arp-then-echo", concat(record(0, veth("arp-request")), record(0, veth("icmp-echo-request"))));
        return seeds;
    }

    /** Writes {@link #seeds()} into the committed corpus; run from the module directory. */
    public static void main(String[] args) throws IOException {
        FuzzCorpus.write(InboundFuzzTest.class, "frames", seeds());
    }
}
