package io.github.mlflowsecretsauth.time;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * Runs background work: refresh-ahead, token renewal, file polling. Passed in, so tests drive a
 * manual scheduler with a fake clock instead of sleeping. Implementations are thread-safe.
 */
public interface Scheduler extends Executor, AutoCloseable {

    /** Runs {@code task} once after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Duration delay, Runnable task);

    /** Runs {@code task} as soon as possible, off the caller's thread where the scheduler has threads. */
    @Override
    void execute(Runnable task);

    /** Stops running tasks; pending ones are dropped. */
    @Override
    void close();

    /** A handle on a scheduled task. */
    interface Cancellable {
        void cancel();
    }

    /** A scheduler backed by one daemon thread named {@code name}. */
    static Scheduler daemon(String name) {
        return new ExecutorScheduler(name);
    }
}
