package io.jnetstack.bench.micro;

import io.jnetstack.time.RearmableTimer;
import io.jnetstack.time.SystemClock;
import io.jnetstack.time.Timer;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Re-arming a connection's timer, as TCP does on every ACK (the retransmission timer moves
 * forward) and every data segment (delayed ACK): {@code connections} timers, each pushed 200 ms
 * out again in turn, so none falls due while measured. Compares the hashed wheel's re-armable
 * timers with a one-shot timer per arming on the same wheel, and with what {@code SystemClock} did
 * before the wheel: cancel the last task of a {@link ScheduledThreadPoolExecutor} (remove on
 * cancel) and schedule a new one.
 */
@State(Scope.Benchmark)
public class TimerBenchmark extends ShortRunDefaults {
    private static final long DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @Param({"1024"})
    public int connections;

    private final Runnable nothing = () -> { };
    private SystemClock clock;
    private RearmableTimer[] rearmable;
    private Timer[] oneShot;
    private ScheduledThreadPoolExecutor executor;
    private ScheduledFuture<?>[] scheduled;
    private int next;

    @Setup
    public void start() {
        clock = new SystemClock();
        rearmable = new RearmableTimer[connections];
        oneShot = new Timer[connections];
        scheduled = new ScheduledFuture<?>[connections];
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "executor-timer");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        for (int i = 0; i < connections; i++) {
            rearmable[i] = clock.newTimer(nothing);
            rearmable[i].arm(DELAY_NANOS);
            oneShot[i] = clock.schedule(DELAY_NANOS, nothing);
            scheduled[i] = executor.schedule(nothing, DELAY_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    @TearDown
    public void stop() {
        clock.shutdown();
        executor.shutdownNow();
    }

    private int nextConnection() {
        int i = next;
        next = i + 1 == connections ? 0 : i + 1;
        return i;
    }

    @Benchmark
    public void wheelRearm() {
        rearmable[nextConnection()].arm(DELAY_NANOS);
    }

    @Benchmark
    public Timer wheelOneShotPerArming() {
        int i = nextConnection();
        oneShot[i].cancel();
        return oneShot[i] = clock.schedule(DELAY_NANOS, nothing);
    }

    @Benchmark
    public ScheduledFuture<?> executorCancelAndSchedule() {
        int i = nextConnection();
        scheduled[i].cancel(false);
        return scheduled[i] = executor.schedule(nothing, DELAY_NANOS, TimeUnit.NANOSECONDS);
    }
}
