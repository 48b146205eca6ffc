package io.jnetstack.network;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.time.ManualClock;

/** A reassembler on a manual clock, and fragments cut from one patterned payload. */
final class ReassemblyFixture {
    static final int SRC = 0x0a000001;
    static final int DST = 0x0a000002;
    static final int UDP = 17;
    static final int ID = 0x1234;

    final ManualClock clock = new ManualClock();
    final Ipv4Reassembler reassembler;
    final byte[] payload;

    ReassemblyFixture(int payloadLength) {
        this(payloadLength, Ipv4Reassembler.MAX_DEFAULT_MEMORY_LIMIT_BYTES);
    }

    ReassemblyFixture(int payloadLength, int memoryLimit) {
        reassembler = new Ipv4Reassembler(clock, Ipv4Reassembler.DEFAULT_TIMEOUT_NANOS, memoryLimit);
        payload = pattern(payloadLength);
    }

    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 7 + i / 251);
        }
        return b;
    }

    /** Adds payload bytes [offset, offset+length) as a fragment of datagram {@code id}. */
    PacketBuffer add(int id, int offset, int length, boolean moreFragments) {
        return reassembler.add(SRC, DST, UDP, id, offset, moreFragments, PacketBuffer.wrap(payload, offset, length));
    }

    PacketBuffer add(int offset, int length, boolean moreFragments) {
        return add(ID, offset, length, moreFragments);
    }

    Ipv4Reassembler.Counters counters() {
        return reassembler.counters();
    }
}
