package io.jnetstack.transport.tcp;

import io.jnetstack.address.IpAddress;
import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Checksum;
import io.jnetstack.header.TcpHeader;
import io.jnetstack.header.TcpOptions;

/**
 * A segment a test sends to the endpoint under test, built field by field:
 * {@code tcp().flags(SYN).seq(100).window(30000).options(...)}.
 */
final class TestSegment {
    int sourcePort = TcpTestContext.REMOTE_PORT;
    int destinationPort;
    int seq;
    int ack;
    int flags;
    int window = 30000;
    int urgentPointer;
    TcpOptions options = TcpOptions.NONE;
    byte[] payload = new byte[0];
    /** Overrides the data offset field (in bytes), to build malformed segments; 0 keeps it right. */
    int dataOffsetOverride;
    boolean corruptChecksum;

    static TestSegment tcp() {
        return new TestSegment();
    }

    TestSegment from(int port) {
        sourcePort = port;
        return this;
    }

    TestSegment to(int port) {
        destinationPort = port;
        return this;
    }

    TestSegment seq(int v) {
        seq = v;
        return this;
    }

    TestSegment ack(int v) {
        ack = v;
        return this;
    }

    TestSegment flags(int v) {
        flags = v;
        return this;
    }

    TestSegment window(int v) {
        window = v;
        return this;
    }

    /** Sets URG with this urgent pointer. */
    TestSegment urgent(int pointer) {
        flags |= TcpHeader.URG;
        urgentPointer = pointer;
        return this;
    }

    TestSegment options(TcpOptions v) {
        options = v;
        return this;
    }

    TestSegment payload(byte[] v) {
        payload = v;
        return this;
    }

    TestSegment dataOffset(int bytes) {
        dataOffsetOverride = bytes;
        return this;
    }

    TestSegment badChecksum() {
        corruptChecksum = true;
        return this;
    }

    /** The wire bytes from {@code source} to {@code destination}, with a correct checksum unless told otherwise. */
    PacketBuffer encode(IpAddress source, IpAddress destination) {
        int headerLength = TcpHeader.MIN_LENGTH + options.encodedLength();
        byte[] b = new byte[headerLength + payload.length];
        TcpHeader h = new TcpHeader(b, 0);
        h.encode(sourcePort, destinationPort, seq, ack, flags, window, headerLength);
        options.encode(b, TcpHeader.MIN_LENGTH);
        h.setUrgentPointer(urgentPointer);
        System.arraycopy(payload, 0, b, headerLength, payload.length);
        if (dataOffsetOverride != 0) {
            b[12] = (byte) ((dataOffsetOverride / 4) << 4);
        }
        int sum = Checksum.add(TcpSegment.pseudoHeader(source, destination, b.length), b, 0, b.length);
        h.setChecksum(Checksum.finish(sum) ^ (corruptChecksum ? 0x5555 : 0));
        return PacketBuffer.wrap(b, 0, b.length);
    }

    static TcpOptions mss(int mss) {
        return new TcpOptions(mss, -1, false, false, 0, 0, new int[0]);
    }

    static TcpOptions synOptions(int mss, int windowScale, boolean sackPermitted, int tsVal) {
        return new TcpOptions(mss, windowScale, sackPermitted, true, tsVal, 0, new int[0]);
    }

    static TcpOptions timestamps(int tsVal, int tsEcr) {
        return new TcpOptions(-1, -1, false, true, tsVal, tsEcr, new int[0]);
    }

    static TcpOptions sack(int... blocks) {
        return new TcpOptions(-1, -1, false, false, 0, 0, blocks);
    }
}
