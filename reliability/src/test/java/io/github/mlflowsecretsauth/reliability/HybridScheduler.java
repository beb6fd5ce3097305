package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.time.Scheduler;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Timed tasks wait for the test's fake clock ({@link ManualScheduler}); immediate work (a background
 * refresh) runs on a real thread, so a slow backend fetch can be in flight while clients keep calling.
 * Thread-safe.
 */
final class HybridScheduler implements Scheduler {
    final ManualScheduler timed;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reliability-background-fetch");
        t.setDaemon(true);
        return t;
    });

    HybridScheduler(FakeClock clock) {
        this.timed = new ManualScheduler(clock);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return delay.isZero() ? execute0(task) : timed.schedule(delay, task);
    }

    private Cancellable execute0(Runnable task) {
        threads.execute(task);
        return () -> { };
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    @Override
    public void close() {
        timed.close();
        threads.shutdownNow();
    }
}
