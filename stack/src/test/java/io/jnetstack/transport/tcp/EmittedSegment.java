package io.jnetstack.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;
import java.util.Arrays;

/**
 * A segment the endpoint under test sent, with fluent checks in the manner of gVisor's checker:
 * {@code ctx.expectSegment().flags(SYN | ACK).seq(iss).ack(101).window(65535)}.
 * Every emitted segment is checked for a valid checksum when it is captured.
 */
final class EmittedSegment {
    final IpAddress source;
    final IpAddress destination;
    final byte[] bytes;
    final TcpHeader header;
    final TcpOptions options;
    final byte[] payload;
    /** Payload per segment the link was asked to cut this packet into; 0 for a packet sent as it is. */
    final int segmentSize;
    /** Whether the checksum was left for the link to complete. */
    final boolean checksumLeftToLink;

    EmittedSegment(IpAddress source, IpAddress destination, byte[] bytes, int segmentSize, boolean checksumLeftToLink) {
        this.segmentSize = segmentSize;
        this.checksumLeftToLink = checksumLeftToLink;
        this.source = source;
        this.destination = destination;
        this.bytes = bytes;
        this.header = new TcpHeader(bytes, 0);
        this.options = header.options();
        this.payload = Arrays.copyOfRange(bytes, header.headerLength(), bytes.length);
        int sum = Checksum.add(TcpSegment.pseudoHeader(source, destination, bytes.length), bytes, 0, bytes.length);
        assertEquals(0xffff, Checksum.fold16(sum), "checksum of " + this);
    }

    /** The link is to cut this packet into segments of {@code expected} payload bytes (0: not at all). */
    EmittedSegment segmentSize(int expected) {
        assertEquals(expected, segmentSize, "segment size the link is asked to cut " + this + " into");
        return this;
    }

    EmittedSegment flags(int expected) {
        assertEquals(TcpHeader.flagsToString(expected), TcpHeader.flagsToString(header.flags()), "flags of " + this);
        return this;
    }

    EmittedSegment seq(int expected) {
        assertEquals(Integer.toUnsignedString(expected), Integer.toUnsignedString(header.sequenceNumber()), "seq of " + this);
        return this;
    }

    EmittedSegment ack(int expected) {
        assertEquals(Integer.toUnsignedString(expected), Integer.toUnsignedString(header.ackNumber()), "ack of " + this);
        return this;
    }

    EmittedSegment window(int expected) {
        assertEquals(expected, header.window(), "window of " + this);
        return this;
    }

    EmittedSegment ports(int source, int destination) {
        assertEquals(source, header.sourcePort(), "source port of " + this);
        assertEquals(destination, header.destinationPort(), "destination port of " + this);
        return this;
    }

    EmittedSegment urgentPointer(int expected) {
        assertEquals(expected, header.urgentPointer(), "urgent pointer of " + this);
        return this;
    }

    EmittedSegment payload(byte[] expected) {
        assertArrayEquals(expected, payload, "payload of " + this);
        return this;
    }

    EmittedSegment payloadLength(int expected) {
        assertEquals(expected, payload.length, "payload length of " + this);
        return this;
    }

    EmittedSegment mss(int expected) {
        assertEquals(expected, options.mss(), "MSS option of " + this);
        return this;
    }

    EmittedSegment windowScale(int expected) {
        assertEquals(expected, options.windowScale(), "window scale option of " + this);
        return this;
    }

    EmittedSegment sackPermitted(boolean expected) {
        assertEquals(expected, options.sackPermitted(), "SACK-permitted option of " + this);
        return this;
    }

    EmittedSegment noTimestamps() {
        assertTrue(!options.hasTimestamps(), "no timestamps in " + this);
        return this;
    }

    EmittedSegment tsEcr(int expected) {
        assertTrue(options.hasTimestamps(), "timestamps in " + this);
        assertEquals(Integer.toUnsignedString(expected), Integer.toUnsignedString(options.tsEcr()), "TSecr of " + this);
        return this;
    }

    EmittedSegment sackBlocks(int... expected) {
        assertArrayEquals(expected, options.sackBlocks(), "SACK blocks of " + this);
        return this;
    }

    EmittedSegment noOptions() {
        assertEquals(TcpHeader.MIN_LENGTH, header.headerLength(), "no options in " + this);
        return this;
    }

    int seq() {
        return header.sequenceNumber();
    }

    int tsVal() {
        return options.tsVal();
    }

    @Override
    public String toString() {
        return TcpHeader.flagsToString(header.flags()) + " " + header.sourcePort() + ">" + header.destinationPort()
                + " seq=" + Integer.toUnsignedString(header.sequenceNumber())
                + " ack=" + Integer.toUnsignedString(header.ackNumber()) + " win=" + header.window()
                + " len=" + payload.length + " " + options;
    }
}
