package io.jnetstack.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.address.IpAddress;
import io.jnetstack.stack.Counters;
import io.jnetstack.stack.StackCounter;
import java.lang.management.ManagementFactory;
import jdk.jfr.FlightRecorder;
import org.junit.jupiter.api.Test;

/**
 * With no recording, emitting costs a flag check: the events' static {@code emit} and a drop
 * counter's bump allocate nothing, so the stack's hot paths pay nothing for being observable.
 */
class JfrEventsUnrecordedTest {
    private static final int CALLS = 100_000;
    /** Room for what reading the allocation counter itself may allocate, far below one event per call. */
    private static final long SLACK_BYTES = 4096;

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void emittingWithoutARecordingAllocatesNothing() {
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM measures allocation per thread");
        assertFalse(FlightRecorder.isInitialized() && !FlightRecorder.getFlightRecorder().getRecordings().isEmpty(),
                "no recording runs in this JVM now");
        IpAddress local = IpAddress.parse("10.0.0.1");
        IpAddress remote = IpAddress.parse("10.0.0.2");
        Counters<StackCounter> counters = new Counters<>(StackCounter.class, StackCounter.DROPS, "");
        Runnable everyEmit = () -> {
            for (int i = 0; i < CALLS; i++) {
                ConnectEvent.emit(local, 1, remote, 2, null);
                AcceptEvent.emit(local, 1, remote, 2);
                CloseEvent.emit(local, 1, remote, 2, "ESTABLISHED", null, i, i, i);
                ResetEvent.emit(local, 1, remote, 2, ResetEvent.SENT, "ESTABLISHED");
                RetransmissionTimeoutEvent.emit(local, 1, remote, 2, "ESTABLISHED", i, 1, i);
                counters.increment(StackCounter.IPV4_CHECKSUM_ERRORS);
            }
        };
        everyEmit.run(); // compiled and warm: what remains is the steady state
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        everyEmit.run();
        long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < SLACK_BYTES, () -> allocated + " bytes allocated by " + 6 * CALLS + " unrecorded emits");
        assertEquals(2L * CALLS, counters.get(StackCounter.IPV4_CHECKSUM_ERRORS), "the counter still counts");
    }
}
