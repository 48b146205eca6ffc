package io.jnetstack.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine is, from the aggregate line of {@code /proc/stat}: figures taken
 * while other engineers build on the same two cores mean little, so every run records the load it
 * ran under and the runner first waits (bounded) for a quiet machine, as the peers' script does.
 */
final class MachineLoad {
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Cumulative busy and total CPU ticks of all cores. */
    record Ticks(long busy, long total) {
        /** Busy share in percent between {@code earlier} and this reading; -1 when unknown. */
        int busyPercentSince(Ticks earlier) {
            long total = this.total - earlier.total;
            if (earlier.total < 0 || this.total < 0 || total <= 0) {
                return -1;
            }
            return (int) (100 * (busy - earlier.busy) / total);
        }
    }

    private MachineLoad() {
    }

    /** The current tick counts, or (-1, -1) where {@code /proc/stat} cannot be read. */
    static Ticks now() {
        try {
            return parse(Files.readAllLines(PROC_STAT).get(0));
        } catch (IOException | RuntimeException e) {
            return new Ticks(-1, -1);
        }
    }

    /** Parses {@code cpu user nice system idle iowait irq softirq steal ...}. */
    static Ticks parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the aggregate cpu line: " + cpuLine);
        }
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = f.length > 5 ? Long.parseLong(f[5]) : 0;
        long irq = f.length > 6 ? Long.parseLong(f[6]) : 0;
        long softirq = f.length > 7 ? Long.parseLong(f[7]) : 0;
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long busy = user + nice + system + irq + softirq + steal;
        return new Ticks(busy, busy + idle + iowait);
    }

    /** Busy percent over the next {@code millis}. */
    static int sampleBusyPercent(long millis) throws InterruptedException {
        Ticks before = now();
        Thread.sleep(millis);
        return now().busyPercentSince(before);
    }

    /**
     * Waits until a half-second sample is at most {@code quietPercent} busy, for at most
     * {@code maxSeconds}; returns the last sample so the caller can note a run on a busy machine.
     */
    static int awaitQuiet(int quietPercent, double maxSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        int busy;
        do {
            busy = sampleBusyPercent(500);
        } while (busy > quietPercent && System.nanoTime() < deadline);
        return busy;
    }
}
