package io.jnetstack.fault;

import io.jnetstack.fault.FaultyLink;
import java.util.Objects;

/**
 * What a {@link FaultRule} does to the packets it matches. The per-frame faults (loss,
 * duplication, reordering, corruption, latency, their seed) are {@link FaultyLink}'s; the others
 * act on the flow.
 *
 * @param perFrame        per-frame faults, possibly changing over time
 * @param bitsPerSecond   bandwidth limit, 0 for none: frames leave one after another at this rate
 * @param resetAfterBytes a TCP connection is reset once this many payload bytes of it have passed, -1 for never
 * @param resetAfterNanos a TCP connection is reset once this long has passed since its first segment, -1 for never
 * @param blackhole       every matched packet vanishes
 * @param slowCloseNanos  extra delay of TCP segments carrying FIN, 0 for none
 * @param sliceBytes      TCP payload is cut into segments of at most this many bytes, 0 for no slicing
 */
public record FaultAction(FaultyLink.Schedule perFrame, long bitsPerSecond, long resetAfterBytes, long resetAfterNanos,
                          boolean blackhole, long slowCloseNanos, int sliceBytes) {
    public FaultAction {
        Objects.requireNonNull(perFrame, "perFrame");
        if (bitsPerSecond < 0 || slowCloseNanos < 0 || sliceBytes < 0) {
            throw new IllegalArgumentException("bandwidth, slow close and slice size cannot be negative");
        }
    }

    /** Only per-frame faults. */
    public static FaultAction perFrame(FaultyLink.Schedule schedule) {
        return new FaultAction(schedule, 0, -1, -1, false, 0, 0);
    }

    /** True if the rule changes a frame's bytes (corrupts them or slices TCP payload). */
    public boolean altersBytes() {
        return sliceBytes > 0 || perFrame.phases().stream().anyMatch(phase -> phase.faults().corruption() > 0);
    }

    /** True if the rule resets TCP connections, after bytes or time. */
    public boolean resets() {
        return resetAfterBytes >= 0 || resetAfterNanos >= 0;
    }
}
