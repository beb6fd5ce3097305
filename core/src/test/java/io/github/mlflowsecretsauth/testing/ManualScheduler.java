package io.github.mlflowsecretsauth.testing;

import io.github.mlflowsecretsauth.time.Scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Scheduler} driven by a {@link FakeClock}: nothing runs until the test calls
 * {@link #runDue()} or {@link #advance(Duration)}, and then due tasks run on the test's thread, in
 * time order, with the clock set to each task's time. Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
    private record Task(long at, long seq, Runnable run, boolean[] cancelled) {
    }

    private final FakeClock clock;
    private final AtomicLong seq = new AtomicLong();
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.seq, b.seq));
    private boolean closed;

    public ManualScheduler(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        if (!closed) {
            queue.add(new Task(clock.millis() + Math.max(0, delay.toMillis()), seq.incrementAndGet(), task, cancelled));
        }
        return () -> {
            synchronized (ManualScheduler.this) {
                cancelled[0] = true;
            }
        };
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Runs every task due now (including ones those tasks schedule for now); returns how many ran. */
    public int runDue() {
        return runUntil(clock.millis());
    }

    /** Moves the clock forward by {@code d}, running each task at its own time on the way. */
    public int advance(Duration d) {
        return runUntil(clock.millis() + d.toMillis());
    }

    private int runUntil(long target) {
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.at > target) {
                    break;
                }
                queue.poll();
                if (next.cancelled[0]) {
                    continue;
                }
            }
            if (next.at > clock.millis()) {
                clock.set(next.at);
            }
            next.run.run();
            ran++;
        }
        if (target > clock.millis()) {
            clock.set(target);
        }
        return ran;
    }

    /** Tasks waiting, cancelled ones excluded. */
    public synchronized int pending() {
        List<Task> live = new ArrayList<>();
        for (Task t : queue) {
            if (!t.cancelled[0]) {
                live.add(t);
            }
        }
        return live.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        queue.clear();
    }
}
