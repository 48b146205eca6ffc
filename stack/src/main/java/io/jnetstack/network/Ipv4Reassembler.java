package io.jnetstack.network;

import io.jnetstack.buffer.PacketBuffer;
import io.jnetstack.header.Ipv4Header;
import io.jnetstack.stack.StackCounter;
import io.jnetstack.time.Clock;

/**
 * Reassembles IPv4 datagrams (RFC 791 §3.2), keyed by (source, destination, protocol,
 * identification), with the rules, timeout and memory limit of {@link FragmentReassembler}.
 */
public final class Ipv4Reassembler extends FragmentReassembler {
    /** Largest payload a datagram with a minimal header can carry. */
    public static final int MAX_PAYLOAD = Ipv4Header.MAX_TOTAL_LENGTH - Ipv4Header.MIN_LENGTH;
    static final CounterSet COUNTERS = new CounterSet(StackCounter.IPV4_FRAGMENTS_RECEIVED, StackCounter.IPV4_REASSEMBLED,
            StackCounter.IPV4_REASSEMBLY_TIMEOUTS, StackCounter.IPV4_REASSEMBLY_OVERLAPS,
            StackCounter.IPV4_REASSEMBLY_INVALID, StackCounter.IPV4_REASSEMBLY_EVICTIONS);

    public Ipv4Reassembler(Clock clock) {
        this(clock, DEFAULT_TIMEOUT_NANOS, defaultMemoryLimit());
    }

    /** A reassembler that counts into counters of its own. */
    public Ipv4Reassembler(Clock clock, long timeoutNanos, int memoryLimitBytes) {
        this(clock, timeoutNanos, memoryLimitBytes, new io.jnetstack.stack.Counters<>(StackCounter.class));
    }

    /**
     * A reassembler that counts into {@code stats} (a stack's): {@code IPV4_FRAGMENTS_RECEIVED},
     * {@code IPV4_REASSEMBLED} and the {@code IPV4_REASSEMBLY_*} drops.
     */
    public Ipv4Reassembler(Clock clock, long timeoutNanos, int memoryLimitBytes,
                           io.jnetstack.stack.Counters<StackCounter> stats) {
        super(clock, timeoutNanos, memoryLimitBytes, MAX_PAYLOAD, COUNTERS, stats);
    }

    /**
     * Adds one fragment (see {@link FragmentReassembler#add(Object, int, boolean, PacketBuffer)}).
     *
     * @param fragmentOffsetBytes the fragment offset field times 8
     */
    public PacketBuffer add(int source, int destination, int protocol, int identification,
                            int fragmentOffsetBytes, boolean moreFragments, PacketBuffer fragmentPayload) {
        return add(new Key(source, destination, protocol, identification), fragmentOffsetBytes, moreFragments,
                fragmentPayload);
    }

    private record Key(int source, int destination, int protocol, int identification) {
    }
}
