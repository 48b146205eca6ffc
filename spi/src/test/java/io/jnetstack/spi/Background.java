package io.jnetstack.spi;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A call running on its own thread while the test drives its peer, e.g. a server the test stops by interrupt. */
final class Background<T> {
    private final Thread thread;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Background(Callable<T> body) {
        thread = new Thread(() -> {
            try {
                result.complete(body.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "background-call");
    }

    static <T> Background<T> call(Callable<T> body) {
        Background<T> b = new Background<>(body);
        b.thread.start();
        return b;
    }

    Thread thread() {
        return thread;
    }

    /** The call's result, or what it threw, within 10 seconds. */
    T get() throws Exception {
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}
