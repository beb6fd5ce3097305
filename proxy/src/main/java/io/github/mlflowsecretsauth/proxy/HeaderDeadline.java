package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import org.eclipse.jetty.util.thread.Scheduler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How long one client request may wait for the upstream's response headers, in total across its attempts
 * and the pauses between them, like nginx's {@code proxy_read_timeout} but not renewed by a retry. The clock
 * starts when the first attempt has been sent in full (a long upload does not use it up). Thread-safe.
 */
final class HeaderDeadline {
    /** The upstream did not answer in time; its message names the host and the setting. */
    static final class Expired extends TimeoutException {
        private static final long serialVersionUID = 1L;

        Expired(String message) {
            super(message);
        }
    }

    private final Duration budget;
    private long deadlineNanos; // 0 until the first attempt has been sent
    private Scheduler.Task timer;
    private boolean answered; // the current attempt's answer (or failure) came; it may come before "sent"

    HeaderDeadline(Duration budget) {
        this.budget = budget;
    }

    /** A new attempt is about to be sent. */
    synchronized void begin() {
        answered = false;
        cancel();
    }

    /**
     * The attempt has been sent: {@code onExpiry} runs if no headers arrive before the deadline. Jetty's client may
     * report the response's headers before it reports the request as sent; then no timer is armed, because one armed
     * now would hold the whole exchange in memory until the deadline.
     */
    synchronized void sent(Scheduler scheduler, Runnable onExpiry) {
        if (answered) {
            return;
        }
        long now = System.nanoTime();
        if (deadlineNanos == 0) {
            deadlineNanos = now + budget.toNanos();
        }
        cancel();
        timer = scheduler.schedule(onExpiry, Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS);
    }

    /** Headers arrived, or the attempt failed: the timer stops. */
    synchronized void answered() {
        answered = true;
        cancel();
    }

    /** Whether a retry after {@code delay} still leaves time before the deadline. */
    synchronized boolean allowsRetryAfter(Duration delay) {
        return deadlineNanos == 0 || System.nanoTime() + delay.toNanos() < deadlineNanos;
    }

    Expired expired(String authority) {
        return new Expired("the MLflow server at " + authority + " sent no response within " + budget.toSeconds()
                + " s (" + ConfigKeys.PROXY_UPSTREAM_TIMEOUT_SEC + "); if it is just slow, raise that setting");
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
