package io.jnetstack.network;

import static io.jnetstack.testing.TwoStacks.ADDRESS6_A;
import static io.jnetstack.testing.TwoStacks.ADDRESS6_B;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jnetstack.address.IpAddress;
import io.jnetstack.address.LinkAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Icmpv6Header;
import io.jnetstack.header.Ipv6ExtensionHeaders;
import io.jnetstack.header.Ipv6Header;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.testing.Ipv6Frames;
import io.jnetstack.testing.TwoStacks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad IPv6 from A's address injected into B: each is counted and dropped, a parameter problem goes
 * back where RFC 8200 §4 asks for one, and B answers a ping6 afterwards.
 */
class Ipv6MalformedInputTest {
    private static final int UNASSIGNED_PROTOCOL = 253;

    private final TwoStacks net = TwoStacks.builder().ipv6().build();
    private final LinkAddress macB = net.pipe.b().linkAddress();
    private final List<Integer> problemsAtA = new ArrayList<>();

    @BeforeEach
    void resolveBothWays() throws Exception {
        // Each side learns the other first, so a parameter problem B sends leaves at once.
        ping(1);
        assertEquals(1, ping(2));
    }

    @AfterEach
    void close() {
        net.close();
    }

    private int ping(int sequence) throws Exception {
        int[] replies = {0};
        Icmpv6Protocol icmp = net.a.network(Ipv6Protocol.class).icmp();
        icmp.registerEchoListener(7, (from, seq, data, hopLimit) -> replies[0] += seq == sequence ? 1 : 0);
        icmp.sendEchoRequest(net.a.findRoute(0, null, ADDRESS6_B), 7, sequence, new byte[8]);
        net.settle();
        return replies[0];
    }

    private void injectIntoB(PacketBuffer frame) throws Exception {
        long errorsBefore = net.a.stats().get(StackCounter.ICMPV6_ERRORS_RECEIVED);
        net.nicB.deliverNetworkPacket(frame);
        net.settle();
        problemsAtA.add((int) (net.a.stats().get(StackCounter.ICMPV6_ERRORS_RECEIVED) - errorsBefore));
        assertEquals(1, ping(100 + problemsAtA.size()), "B answers a ping after the bad packet");
    }

    private void inject(int nextHeader, byte[] payload) throws Exception {
        injectIntoB(Ipv6Frames.frame(macB, ADDRESS6_A, ADDRESS6_B, nextHeader, 64, payload));
    }

    /** An extension header of 8 bytes: next header, length 0, then six bytes of options or fields. */
    private static byte[] extension(int next, int... rest) {
        byte[] h = new byte[8];
        h[0] = (byte) next;
        for (int i = 0; i < rest.length; i++) {
            h[2 + i] = (byte) rest[i];
        }
        return h;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @Test
    void aPayloadLengthBeyondTheFrameIsMalformed() throws Exception {
        PacketBuffer frame = Ipv6Frames.frame(macB, ADDRESS6_A, ADDRESS6_B, Ipv6Header.NEXT_NONE, 64, new byte[16]);
        frame.truncate(frame.length() - 8);
        injectIntoB(frame);
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_MALFORMED));
    }

    @Test
    void aVersionOtherThanSixIsMalformed() throws Exception {
        PacketBuffer frame = Ipv6Frames.frame(macB, ADDRESS6_A, ADDRESS6_B, Ipv6Header.NEXT_NONE, 64, new byte[8]);
        frame.array()[frame.offset() + 14] = 0x45;
        injectIntoB(frame);
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_MALFORMED));
    }

    @Test
    void aMulticastSourceIsInvalid() throws Exception {
        injectIntoB(Ipv6Frames.frame(macB, IpAddress.IPV6_ALL_NODES, ADDRESS6_B, Ipv6Header.NEXT_NONE, 64, new byte[0]));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_INVALID_SOURCE));
    }

    @Test
    void aHopByHopHeaderAfterAnotherIsAParameterProblem() throws Exception {
        inject(Ipv6Header.NEXT_DESTINATION_OPTIONS, concat(extension(Ipv6Header.NEXT_HOP_BY_HOP),
                extension(Ipv6Header.NEXT_NONE)));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
        assertEquals(List.of(1), problemsAtA);
    }

    @Test
    void anUnknownOptionWhoseTypeSaysDiscardIsDroppedSilently() throws Exception {
        inject(Ipv6Header.NEXT_DESTINATION_OPTIONS, extension(Ipv6Header.NEXT_NONE, 0x40, 4, 0, 0, 0, 0));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
        assertEquals(List.of(0), problemsAtA);
    }

    @Test
    void anUnknownOptionWhoseTypeAsksForAnErrorGetsAParameterProblem() throws Exception {
        inject(Ipv6Header.NEXT_DESTINATION_OPTIONS, extension(Ipv6Header.NEXT_NONE, 0x80, 4, 0, 0, 0, 0));
        assertEquals(List.of(1), problemsAtA);
    }

    @Test
    void anUnknownOptionThatSkipsIsSkipped() throws Exception {
        inject(Ipv6Header.NEXT_DESTINATION_OPTIONS, extension(Ipv6Header.NEXT_NONE, 0x1e, 4, 0, 0, 0, 0));
        assertEquals(0, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
    }

    @Test
    void anOptionRunningPastItsHeaderIsDiscarded() throws Exception {
        inject(Ipv6Header.NEXT_DESTINATION_OPTIONS, extension(Ipv6Header.NEXT_NONE, 1, 9));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
    }

    @Test
    void aHeaderLongerThanThePacketIsDiscarded() throws Exception {
        inject(Ipv6Header.NEXT_DESTINATION_OPTIONS, new byte[] {(byte) Ipv6Header.NEXT_NONE, 3, 1, 0, 0, 0, 0, 0});
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
    }

    @Test
    void aChainLongerThanTheBoundIsDiscarded() throws Exception {
        byte[][] chain = new byte[Ipv6ExtensionHeaders.MAX_EXTENSION_HEADERS + 1][];
        for (int i = 0; i < chain.length; i++) {
            chain[i] = extension(i == chain.length - 1 ? Ipv6Header.NEXT_NONE : Ipv6Header.NEXT_DESTINATION_OPTIONS);
        }
        inject(Ipv6Header.NEXT_DESTINATION_OPTIONS, concat(chain));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
    }

    @Test
    void aRoutingHeaderWithSegmentsLeftIsAParameterProblem() throws Exception {
        inject(Ipv6Header.NEXT_ROUTING, extension(Ipv6Header.NEXT_NONE, 0, 1));
        assertEquals(List.of(1), problemsAtA);
    }

    @Test
    void aRoutingHeaderWithNoSegmentsLeftIsIgnored() throws Exception {
        inject(Ipv6Header.NEXT_ROUTING, extension(Ipv6Header.NEXT_NONE, 0, 0));
        assertEquals(0, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
    }

    @Test
    void anUnknownNextHeaderIsCountedAndAnsweredWithAParameterProblem() throws Exception {
        inject(UNASSIGNED_PROTOCOL, new byte[8]);
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_UNKNOWN_PROTOCOL));
        assertEquals(List.of(1), problemsAtA);
    }

    @Test
    void anAtomicFragmentIsDeliveredWithoutReassembly() throws Exception {
        byte[] echo = Ipv6Frames.echoBody(7, 50, new byte[8]);
        byte[] icmp = new byte[4 + echo.length];
        icmp[0] = (byte) Icmpv6Header.TYPE_ECHO_REQUEST;
        System.arraycopy(echo, 0, icmp, 4, echo.length);
        int sum = io.jnetstack.header.Checksum.add(io.jnetstack.header.Checksum.pseudoHeader(ADDRESS6_A, ADDRESS6_B,
                Ipv6Header.NEXT_ICMPV6, icmp.length), icmp, 0, icmp.length);
        int checksum = io.jnetstack.header.Checksum.finish(sum);
        icmp[2] = (byte) (checksum >>> 8);
        icmp[3] = (byte) checksum;
        inject(Ipv6Header.NEXT_FRAGMENT, concat(new byte[] {(byte) Ipv6Header.NEXT_ICMPV6, 0, 0, 0, 1, 2, 3, 4}, icmp));

        assertEquals(1, net.b.stats().get(StackCounter.IPV6_ATOMIC_FRAGMENTS));
        assertEquals(0, net.b.stats().get(StackCounter.IPV6_FRAGMENTS_RECEIVED));
    }

    @Test
    void aBadIcmpv6ChecksumIsCounted() throws Exception {
        PacketBuffer frame = Ipv6Frames.icmp(macB, ADDRESS6_A, ADDRESS6_B, 64, Icmpv6Header.TYPE_ECHO_REQUEST,
                Ipv6Frames.echoBody(7, 60, new byte[4]));
        frame.array()[frame.offset() + frame.length() - 1] ^= 1;
        injectIntoB(frame);
        assertEquals(1, net.b.stats().get(StackCounter.ICMPV6_CHECKSUM_ERRORS));
    }

    /** A fragment header (next header UDP, identification 5) and {@code length} bytes of data at {@code offset}. */
    private static byte[] fragment(int offset, boolean more, int length) {
        byte[] f = new byte[Ipv6ExtensionHeaders.FRAGMENT_HEADER_LENGTH + length];
        f[0] = (byte) Ipv6Header.NEXT_UDP;
        f[2] = (byte) (offset >>> 8);
        f[3] = (byte) (offset | (more ? 1 : 0));
        f[7] = 5;
        return f;
    }

    @Test
    void aNonLastFragmentNotAMultipleOf8BytesGetsAParameterProblem() throws Exception {
        inject(Ipv6Header.NEXT_FRAGMENT, fragment(0, true, 12));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_REASSEMBLY_INVALID));
        assertEquals(List.of(1), problemsAtA);
    }

    @Test
    void aFragmentReachingBeyond65535BytesGetsAParameterProblem() throws Exception {
        inject(Ipv6Header.NEXT_FRAGMENT, fragment(65528, false, 16));
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_REASSEMBLY_INVALID));
        assertEquals(List.of(1), problemsAtA);
    }

    @Test
    void aFirstFragmentWhoseHeaderChainRunsPastItIsDropped() throws Exception {
        byte[] first = fragment(0, true, 8);
        first[0] = (byte) Ipv6Header.NEXT_DESTINATION_OPTIONS;
        first[9] = 2; // a 24-byte destination options header in 8 bytes of fragment
        inject(Ipv6Header.NEXT_FRAGMENT, first);
        assertEquals(1, net.b.stats().get(StackCounter.IPV6_BAD_EXTENSION_HEADERS));
        assertEquals(0, net.b.stats().get(StackCounter.IPV6_FRAGMENTS_RECEIVED));
    }
}
