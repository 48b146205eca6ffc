package io.jnetstack.stack;

import io.jnetstack.address.IpAddress;
import static io.jnetstack.testing.TwoStacks.ADDRESS_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.EthernetHeader;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.link.LinkEndpoint;
import io.jnetstack.link.WrappingLink;
import io.jnetstack.testing.TwoStacks;
import io.jnetstack.transport.udp.UdpEndpoint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad frame reaching B is counted under the right counter and dropped, and B keeps
 * serving: a good datagram sent afterwards still arrives.
 */
class MalformedInputTest {
    private static final int PORT = 9000;
    private static final int ETH = EthernetHeader.LENGTH;
    private static final int IP = ETH;
    private static final int UDP = ETH + Ipv4Header.MIN_LENGTH;

    private final List<byte[]> sentByA = new ArrayList<>();
    private TwoStacks net;
    private UdpEndpoint receiver;
    private UdpEndpoint sender;
    private byte[] goodFrame;

    @BeforeEach
    void setUp() throws Exception {
        net = TwoStacks.builder().wrapA((link, clock) -> new Recording(link, sentByA)).build();
        receiver = net.udpB.newEndpoint();
        receiver.bind(IpAddress.IPV4_ANY, PORT);
        sender = net.udpA.newEndpoint();
        send("warm-up"); // resolves ARP both ways
        sentByA.clear();
        send("template");
        goodFrame = sentByA.get(0);
    }

    @AfterEach
    void tearDown() {
        net.close();
    }

    private byte[] send(String text) throws Exception {
        sender.send(ByteBuffer.wrap(text.getBytes()), ADDRESS_B, PORT);
        net.settle();
        UdpEndpoint.Datagram d = receiver.receive();
        assertNotNull(d, "B stopped serving");
        return d.data();
    }

    private void inject(byte[] frame) {
        net.pipe.a().writeFrame(PacketBuffer.wrap(frame, 0, frame.length));
        net.settle();
    }

    static Stream<Arguments> malformations() {
        return Stream.of(
                bad("a frame shorter than an Ethernet header", StackCounter.FRAMES_MALFORMED,
                        f -> {}, 10),
                bad("an unknown EtherType", StackCounter.FRAMES_UNKNOWN_ETHERTYPE,
                        f -> put16(f, 12, 0x88b5), -1),
                bad("an IPv4 packet shorter than its minimum header", StackCounter.IPV4_MALFORMED,
                        f -> {}, ETH + 12),
                bad("IP version 5", StackCounter.IPV4_MALFORMED,
                        f -> ipFix(f, () -> f[IP] = 0x55), -1),
                bad("a header length below 20 bytes", StackCounter.IPV4_MALFORMED,
                        f -> ipFix(f, () -> f[IP] = 0x44), -1),
                bad("a total length beyond the frame", StackCounter.IPV4_MALFORMED,
                        f -> ipFix(f, () -> put16(f, IP + 2, 1400)), -1),
                bad("a total length shorter than the header", StackCounter.IPV4_MALFORMED,
                        f -> ipFix(f, () -> put16(f, IP + 2, 19)), -1),
                bad("a bad IPv4 header checksum", StackCounter.IPV4_CHECKSUM_ERRORS,
                        f -> f[IP + 10] ^= 0x01, -1),
                bad("a broadcast source address", StackCounter.IPV4_INVALID_SOURCE,
                        f -> ipFix(f, () -> put32(f, IP + 12, 0xffffffff)), -1),
                bad("a destination that is not ours", StackCounter.IPV4_INVALID_DESTINATION,
                        f -> ipFix(f, () -> f[IP + 19] = 77), -1),
                bad("an unknown transport protocol", StackCounter.IPV4_UNKNOWN_PROTOCOL,
                        f -> ipFix(f, () -> f[IP + 9] = (byte) 253), -1),
                bad("a UDP length beyond the IP payload", StackCounter.UDP_MALFORMED,
                        f -> put16(f, UDP + 4, 500), -1),
                bad("a UDP length below its header", StackCounter.UDP_MALFORMED,
                        f -> put16(f, UDP + 4, 7), -1),
                bad("a bad UDP checksum", StackCounter.UDP_CHECKSUM_ERRORS,
                        f -> f[f.length - 1] ^= 0x40, -1),
                bad("a truncated ARP packet", StackCounter.ARP_MALFORMED,
                        f -> put16(f, 12, EthernetHeader.TYPE_ARP), ETH + 20),
                bad("an ICMP message with a bad checksum", StackCounter.ICMP_CHECKSUM_ERRORS,
                        f -> ipFix(f, () -> f[IP + 9] = Ipv4Header.PROTOCOL_ICMP), -1),
                bad("an ICMP message shorter than its header", StackCounter.ICMP_MALFORMED,
                        f -> ipFix(f, () -> {
                            f[IP + 9] = Ipv4Header.PROTOCOL_ICMP;
                            put16(f, IP + 2, Ipv4Header.MIN_LENGTH + 4);
                        }), -1));
    }

    private static Arguments bad(String what, StackCounter counter, Consumer<byte[]> mutation, int truncateTo) {
        return Arguments.of(what, counter, mutation, truncateTo);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformations")
    void isCountedAndDroppedAndTheStackKeepsServing(String what, StackCounter counter, Consumer<byte[]> mutation,
                                                      int truncateTo) throws Exception {
        byte[] frame = goodFrame.clone();
        mutation.accept(frame);
        if (truncateTo >= 0) {
            frame = java.util.Arrays.copyOf(frame, truncateTo);
        }
        long before = net.b.stats().get(counter);

        inject(frame);

        assertEquals(before + 1, net.b.stats().get(counter), what);
        assertNull(receiver.receive(), "the bad frame must not be delivered");
        assertArrayEquals("after".getBytes(), send("after"));
    }

    @Test
    void aThousandRandomFramesAreSurvived() throws Exception {
        Random random = new Random(2024);
        for (int i = 0; i < 1000; i++) {
            byte[] frame = goodFrame.clone();
            int flips = 1 + random.nextInt(8);
            for (int k = 0; k < flips; k++) {
                // Keep the Ethernet addresses so the frame reaches B's parsers.
                frame[12 + random.nextInt(frame.length - 12)] = (byte) random.nextInt(256);
            }
            inject(java.util.Arrays.copyOf(frame, 14 + random.nextInt(frame.length - 13)));
        }
        // A mutation can still make a valid datagram (say, a UDP checksum of zero means "none"):
        // those may arrive; what matters is what comes after.
        while (receiver.receive() != null) {
            // drain
        }
        // Every random frame keeps a whole Ethernet header, so none is malformed at the link, and no
        // parser may have thrown (a throw is counted as FRAMES_MALFORMED by the NIC).
        assertEquals(0, net.b.stats().get(StackCounter.FRAMES_MALFORMED));
        assertArrayEquals("still here".getBytes(), send("still here"));
    }

    /** Applies an IPv4 header change and fixes the header checksum, so the change itself is what is judged. */
    private static void ipFix(byte[] f, Runnable change) {
        change.run();
        put16(f, IP + 10, 0);
        int ihl = Math.max(20, (f[IP] & 0x0f) * 4);
        put16(f, IP + 10, Checksum.finish(Checksum.add(0, f, IP, Math.min(ihl, f.length - IP))));
    }

    private static void put16(byte[] a, int i, int v) {
        a[i] = (byte) (v >>> 8);
        a[i + 1] = (byte) v;
    }

    private static void put32(byte[] a, int i, int v) {
        put16(a, i, v >>> 16);
        put16(a, i + 2, v);
    }

    /** Records a copy of every frame written through it. */
    private static final class Recording extends WrappingLink {
        private final List<byte[]> frames;

        Recording(LinkEndpoint inner, List<byte[]> frames) {
            super(inner);
            this.frames = frames;
        }

        @Override
        public void writeFrame(PacketBuffer frame) {
            frames.add(frame.toByteArray());
            inner.writeFrame(frame);
        }
    }
}
