package io.github.mlflowsecretsauth.time;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default {@link Scheduler}, with daemon threads so it never keeps a JVM alive. One timer thread only
 * keeps time and hands each due task to a small pool, so a task stuck on a stalled backend can delay
 * neither other tasks nor the deadline that abandons it. Pool threads start on demand and end after
 * 30 s idle. A task that throws is logged and does not stop later tasks.
 */
final class ExecutorScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScheduler.class);
    private static final int MAX_WORKERS = 16;

    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor workers;

    ExecutorScheduler(String name) {
        timer = new ScheduledThreadPoolExecutor(1, daemon(name + "-timer"));
        timer.setRemoveOnCancelPolicy(true);
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        workers = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon(name));
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Runnable handOff = () -> {
            try {
                execute(task);
            } catch (RejectedExecutionException e) {
                LOG.warn("background task dropped: all {} background threads are busy or the scheduler is closed",
                        MAX_WORKERS);
            }
        };
        ScheduledFuture<?> f = timer.schedule(handOff, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    /** Runs {@code task} on a pool thread; throws {@link RejectedExecutionException} when all are busy or closed. */
    @Override
    public void execute(Runnable task) {
        workers.execute(guard(task));
    }

    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("background task failed: {}", e.getMessage());
            }
        };
    }

    @Override
    public void close() {
        timer.shutdownNow();
        workers.shutdownNow();
    }
}
