package io.github.mlflowsecretsauth.reliability;

import java.time.Duration;

/**
 * Counts completed calls, so a driver can act after a given number of them (rotate, retire) without
 * sleeping. Thread-safe.
 */
final class Progress {
    private long done;

    synchronized void completed() {
        done++;
        notifyAll();
    }

    synchronized long done() {
        return done;
    }

    /** Waits until at least {@code n} calls completed; the timeout is only a safety net. */
    synchronized void awaitAtLeast(long n, Duration safetyNet) throws InterruptedException {
        long deadline = System.nanoTime() + safetyNet.toNanos();
        while (done < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + done + " of " + n + " calls completed within " + safetyNet);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
