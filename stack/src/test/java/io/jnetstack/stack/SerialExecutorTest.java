package io.jnetstack.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jnetstack.testing.ManualExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** One connection's backlog: run on the caller when free, queued for the thread inside when busy, never waited for. */
class SerialExecutorTest {
    private static final long WAIT_SECONDS = 30;

    private final List<Throwable> failures = new ArrayList<>();
    private final SerialExecutor connection = new SerialExecutor(failures::add);

    @Test
    void aFreeConnectionRunsTheTaskOnTheCallingThread() {
        Thread[] ranOn = new Thread[1];
        connection.execute(() -> ranOn[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), ranOn[0]);
        assertFalse(connection.isBusy());
    }

    @Test
    void aTaskGivenFromInsideRunsAfterTheCurrentOneNotWithinIt() {
        List<String> order = new ArrayList<>();
        connection.execute(() -> {
            order.add("outer starts");
            connection.execute(() -> order.add("inner"));
            order.add("outer ends");
        });
        assertEquals(List.of("outer starts", "outer ends", "inner"), order);
        assertFalse(connection.isBusy());
    }

    @Test
    void aThreadFindingTheConnectionBusyQueuesItsTaskAndTheThreadInsideRunsIt() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch mayLeave = new CountDownLatch(1);
        Thread owner = new Thread(() -> connection.execute(() -> {
            inside.countDown();
            awaitQuietly(mayLeave);
        }), "owner");
        owner.start();
        assertTrue(inside.await(WAIT_SECONDS, TimeUnit.SECONDS));

        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        connection.execute(() -> ranOn.complete(Thread.currentThread())); // returns at once: it does not wait
        assertFalse(ranOn.isDone(), "queued, not run, while another thread is inside");

        mayLeave.countDown();
        assertSame(owner, ranOn.get(WAIT_SECONDS, TimeUnit.SECONDS), "the thread inside ran the backlog before leaving");
        owner.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(connection.isBusy());
    }

    @Test
    void aTaskThatThrowsIsReportedAndTheBacklogGoesOn() {
        List<String> ran = new ArrayList<>();
        connection.execute(() -> {
            connection.execute(() -> {
                throw new IllegalStateException("injected");
            });
            connection.execute(() -> ran.add("after the failure"));
        });
        assertEquals(List.of("after the failure"), ran);
        assertEquals(1, failures.size());
        assertFalse(connection.isBusy());
        connection.execute(() -> ran.add("later"));
        assertEquals(List.of("after the failure", "later"), ran);
    }

    @Test
    void tryExecuteRunsAnItemAtOnceWhenFreeAndRefusesItWithNothingQueuedWhenBusy() {
        List<String> order = new ArrayList<>();
        Consumer<String> handler = order::add;
        assertTrue(connection.tryExecute(handler, "free: at once"));
        connection.execute(() -> {
            assertFalse(connection.tryExecute(handler, "busy: refused"));
            connection.execute(task(() -> order.add("queued task")));
            order.add("current task ends");
        });
        assertEquals(List.of("free: at once", "current task ends", "queued task"), order);
        assertFalse(connection.isBusy());
    }

    @Test
    void aTaskRunsInTurnWithRunnablesAndMayBeQueuedAgainOnceItHasRun() {
        List<String> order = new ArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        SerialExecutor.Task reused = task(() -> order.add("reused " + runs.incrementAndGet()));
        connection.execute(() -> {
            connection.execute(reused);
            connection.execute(() -> order.add("runnable"));
            order.add("first ends");
        });
        connection.execute(() -> {
            connection.execute(reused);
            order.add("second ends");
        });
        assertEquals(List.of("first ends", "reused 1", "runnable", "second ends", "reused 2"), order);
        assertFalse(connection.isBusy());
    }

    @Test
    void aHandlerOrTaskThatThrowsIsReportedAndTheBacklogGoesOn() {
        List<String> ran = new ArrayList<>();
        Consumer<String> failing = item -> {
            throw new IllegalStateException(item);
        };
        assertTrue(connection.tryExecute(failing, "when free"));
        connection.execute(() -> {
            connection.execute(task(() -> {
                throw new IllegalStateException("when queued");
            }));
            connection.execute(() -> ran.add("after the failure"));
        });
        assertEquals(List.of("after the failure"), ran);
        assertEquals(List.of("when free", "when queued"), failures.stream().map(Throwable::getMessage).toList());
        assertFalse(connection.isBusy());
    }

    @Test
    void onATargetTryExecuteRefusesAndATaskWaitsForTheTargetsTurn() {
        ManualExecutor target = new ManualExecutor();
        SerialExecutor onTarget = new SerialExecutor(target, failures::add);
        List<Integer> ran = new ArrayList<>();
        assertFalse(onTarget.tryExecute(ran::add, 0));
        onTarget.execute(task(() -> ran.add(1)));
        onTarget.execute(() -> ran.add(2));
        assertEquals(List.of(), ran);
        target.runPending();
        assertEquals(List.of(1, 2), ran);
        assertFalse(onTarget.isBusy());
    }

    private static SerialExecutor.Task task(Runnable body) {
        return new SerialExecutor.Task() {
            @Override
            public void run() {
                body.run();
            }
        };
    }

    @Test
    void onATargetEveryTaskRunsThereInOrderWithOneTurnPerEntry() {
        ManualExecutor target = new ManualExecutor();
        SerialExecutor onTarget = new SerialExecutor(target, failures::add);
        List<Integer> ran = new ArrayList<>();
        onTarget.execute(() -> ran.add(1));
        onTarget.execute(() -> ran.add(2));
        assertEquals(List.of(), ran);
        assertEquals(1, target.pending(), "one turn on the target runs the whole backlog");
        target.runPending();
        assertEquals(List.of(1, 2), ran);
        assertFalse(onTarget.isBusy());
    }

    @Test
    void aTargetThatRejectsLeavesTheConnectionFree() {
        SerialExecutor onStopped = new SerialExecutor(task -> {
            throw new RejectedExecutionException("stopped");
        }, failures::add);
        assertThrows(RejectedExecutionException.class, () -> onStopped.execute(() -> { }));
        assertFalse(onStopped.isBusy());
    }

    @Test
    void racingThreadsNeverMeetInsideAndNoTaskIsLost() {
        int threads = 4;
        int tasksPerThread = 50_000;
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            long[] unsynchronizedCount = new long[1];
            Runnable task = () -> {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                unsynchronizedCount[0]++; // safe only if the executor orders the threads' turns
                inside.decrementAndGet();
            };
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> racers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(() -> {
                    awaitQuietly(start);
                    for (int n = 0; n < tasksPerThread; n++) {
                        connection.execute(task);
                    }
                }, "racer-" + i);
                t.start();
                racers.add(t);
            }
            start.countDown();
            for (Thread t : racers) {
                t.join();
            }
            // Every racer has returned; the last one out drained what the others queued.
            connection.execute(() -> { });
            assertEquals(0, overlaps.get());
            assertEquals((long) threads * tasksPerThread, unsynchronizedCount[0]);
            assertFalse(connection.isBusy());
        });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
