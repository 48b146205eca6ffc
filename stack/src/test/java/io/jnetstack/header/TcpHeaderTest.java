package io.jnetstack.header;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** TCP headers and their options read from and written as the kernel's. */
class TcpHeaderTest {
    private static TcpHeader tcp(byte[] frame) {
        return TcpHeader.of(VethFrames.packetAt(frame, VethFrames.TRANSPORT_AT));
    }

    /** Rewrites the segment's header and options from its parsed fields, then its checksum. */
    private static void reencode(byte[] frame, TcpHeader parsed) {
        TcpHeader out = tcp(frame);
        int sourcePort = parsed.sourcePort();
        int destinationPort = parsed.destinationPort();
        int seq = parsed.sequenceNumber();
        int ack = parsed.ackNumber();
        int flags = parsed.flags();
        int window = parsed.window();
        int headerLength = parsed.headerLength();
        TcpOptions options = parsed.options();
        java.util.Arrays.fill(frame, VethFrames.TRANSPORT_AT, VethFrames.TRANSPORT_AT + headerLength, (byte) 0);
        out.encode(sourcePort, destinationPort, seq, ack, flags, window, headerLength);
        options.encode(frame, out.optionsOffset());
        out.setChecksum(VethFrames.transportChecksum(frame));
    }

    @Test
    void theStaticEncodeWritesWhatTheViewReadsBackUrgentPointerAndChecksumIncluded() {
        byte[] a = new byte[8 + TcpHeader.MIN_LENGTH];
        java.util.Arrays.fill(a, (byte) 0x5a); // whatever was in the array before
        TcpHeader.encode(a, 8, 40002, 6000, 0xfffe0001, 7, TcpHeader.ACK | TcpHeader.URG, 65535, TcpHeader.MIN_LENGTH, 513);
        TcpHeader.putChecksum(a, 8, 0xbeef);
        TcpHeader t = new TcpHeader(a, 8);
        assertEquals(40002, t.sourcePort());
        assertEquals(6000, t.destinationPort());
        assertEquals(0xfffe0001, t.sequenceNumber());
        assertEquals(7, t.ackNumber());
        assertEquals(TcpHeader.ACK | TcpHeader.URG, t.flags());
        assertEquals(65535, t.window());
        assertEquals(TcpHeader.MIN_LENGTH, t.headerLength());
        assertEquals(513, t.urgentPointer());
        assertEquals(0xbeef, t.checksum());
        assertEquals(0x5a, a[7], "nothing before the header is written");
    }

    @Test
    void readsTheKernelsSyn() {
        TcpHeader t = tcp(VethFrames.frame("tcp-syn"));
        assertEquals(40002, t.sourcePort());
        assertEquals(6000, t.destinationPort());
        assertEquals((int) 4293990498L, t.sequenceNumber());
        assertEquals(0, t.ackNumber());
        assertEquals(40, t.headerLength());
        assertEquals(TcpHeader.SYN, t.flags());
        assertEquals(64240, t.window());
        assertEquals(0xd217, t.checksum());
        assertEquals(0, t.urgentPointer());
    }

    @Test
    void readsTheKernelsSynOptions() {
        TcpOptions o = tcp(VethFrames.frame("tcp-syn")).options();
        assertEquals(new TcpOptions(1460, 10, true, true, (int) 2540929362L, 0, new int[0]), o);
    }

    @Test
    void readsTheKernelsSynAck() {
        TcpHeader t = tcp(VethFrames.frame("tcp-syn-ack"));
        assertTrue(t.hasFlags(TcpHeader.SYN | TcpHeader.ACK));
        assertEquals(790325966, t.sequenceNumber());
        assertEquals((int) 4293990499L, t.ackNumber());
        assertEquals(65160, t.window());
        assertEquals(new TcpOptions(1460, 10, true, true, 98818102, (int) 2540929362L, new int[0]), t.options());
    }

    @Test
    void readsTheKernelsDataSegment() {
        TcpHeader t = tcp(VethFrames.frame("tcp-data"));
        assertEquals(TcpHeader.PSH | TcpHeader.ACK, t.flags());
        assertEquals(32, t.headerLength());
        assertEquals(63, t.window());
        assertEquals(new TcpOptions(-1, -1, false, true, (int) 2540929363L, 98818102, new int[0]), t.options());
    }

    @Test
    void readsTheKernelsFin() {
        assertEquals(TcpHeader.FIN | TcpHeader.ACK, tcp(VethFrames.frame("tcp-fin-ack")).flags());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-syn", "tcp-syn-ack", "tcp-ack", "tcp-data", "tcp-fin-ack"})
    void kernelChecksumsVerify(String name) {
        assertTrue(VethFrames.transportChecksumVerifies(VethFrames.frame(name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-syn", "tcp-syn-ack", "tcp-ack", "tcp-data", "tcp-fin-ack"})
    void encodingTheParsedSegmentWritesTheKernelsBytesInLinuxOptionLayout(String name) {
        byte[] expected = VethFrames.frame(name);
        byte[] frame = expected.clone();
        reencode(frame, tcp(expected.clone()));
        assertArrayEquals(expected, frame);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp-syn", "tcp-syn-ack", "tcp-ack"})
    void encodedOptionLengthMatchesTheKernelsHeaderLength(String name) {
        TcpHeader t = tcp(VethFrames.frame(name));
        assertEquals(t.headerLength() - TcpHeader.MIN_LENGTH, t.options().encodedLength());
    }

    @Test
    void flagsRenderByName() {
        assertEquals("SYN|ACK", TcpHeader.flagsToString(TcpHeader.SYN | TcpHeader.ACK));
        assertEquals("none", TcpHeader.flagsToString(0));
    }
}
