package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ICMPv4 messages read from and written as the kernel's. */
class Icmpv4HeaderTest {
    private static Icmpv4Header icmp(byte[] frame) {
        return Icmpv4Header.of(VethFrames.packetAt(frame, VethFrames.TRANSPORT_AT));
    }

    private static int icmpSum(byte[] frame) {
        return Checksum.fold16(Checksum.add(0, frame, VethFrames.TRANSPORT_AT, frame.length - VethFrames.TRANSPORT_AT));
    }

    @Test
    void readsTheKernelsEchoRequest() {
        Icmpv4Header h = icmp(VethFrames.frame("icmp-echo-request"));
        assertEquals(Icmpv4Header.TYPE_ECHO_REQUEST, h.type());
        assertEquals(0, h.code());
        assertEquals(0x72ef, h.checksum());
        assertEquals(0x1320, h.identifier());
        assertEquals(1, h.sequence());
    }

    @Test
    void readsTheKernelsPortUnreachable() {
        Icmpv4Header h = icmp(VethFrames.frame("icmp-port-unreachable"));
        assertEquals(Icmpv4Header.TYPE_DESTINATION_UNREACHABLE, h.type());
        assertEquals(Icmpv4Header.CODE_PORT_UNREACHABLE, h.code());
        assertEquals(0x9340, h.checksum());
    }

    @Test
    void kernelChecksumsVerify() {
        assertEquals(0xffff, icmpSum(VethFrames.frame("icmp-echo-request")));
        assertEquals(0xffff, icmpSum(VethFrames.frame("icmp-port-unreachable")));
    }

    @Test
    void turningTheRequestIntoAReplyWritesTheKernelsReply() {
        byte[] request = VethFrames.frame("icmp-echo-request");
        byte[] reply = VethFrames.frame("icmp-echo-reply");
        Icmpv4Header h = icmp(request);
        h.encode(Icmpv4Header.TYPE_ECHO_REPLY, 0, (h.identifier() << 16) | h.sequence());
        h.setChecksum(Checksum.finish(Checksum.add(0, request, VethFrames.TRANSPORT_AT, request.length - VethFrames.TRANSPORT_AT)));
        assertArrayEquals(Arrays.copyOfRange(reply, VethFrames.TRANSPORT_AT, reply.length),
                Arrays.copyOfRange(request, VethFrames.TRANSPORT_AT, request.length));
    }

    @Test
    void portUnreachableQuotesTheOffendingHeaderAndEightBytes() {
        byte[] error = VethFrames.frame("icmp-port-unreachable");
        byte[] offending = VethFrames.frame("udp-to-closed-port");
        int quoteAt = VethFrames.TRANSPORT_AT + Icmpv4Header.LENGTH;
        assertArrayEquals(Arrays.copyOfRange(offending, VethFrames.IP_AT, VethFrames.TRANSPORT_AT + 8),
                Arrays.copyOfRange(error, quoteAt, quoteAt + Ipv4Header.MIN_LENGTH + 8));
    }
}
