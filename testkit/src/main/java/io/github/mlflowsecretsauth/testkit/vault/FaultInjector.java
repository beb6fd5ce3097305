package io.github.mlflowsecretsauth.testkit.vault;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * Faults a test asks {@link VaultServer} to produce: the next N requests fail with a status, the
 * server looks sealed, or every answer is delayed.
 *
 * <p>Thread-safe: the failure budget is guarded by the injector's monitor; the other settings are
 * volatile.
 */
final class FaultInjector {

    private int failuresLeft;
    private int failureStatus;
    private boolean echo;
    private volatile boolean available = true;
    private volatile Duration latency = Duration.ZERO;

    synchronized void failNext(int count, int status) {
        if (count < 0 || status < 100 || status > 599) {
            throw new IllegalArgumentException("count must be >= 0 and status an HTTP status");
        }
        failuresLeft = count;
        failureStatus = status;
        echo = false;
    }

    /** Like {@link #failNext}, the error text echoing the request's token and body ({@link #echoes()}). */
    synchronized void failNextEchoing(int count, int status) {
        failNext(count, status);
        echo = true;
    }

    /** Whether the injected failures echo what the client sent, as a careless plugin or gateway does. */
    synchronized boolean echoes() {
        return echo;
    }

    /** The status to fail this request with, consuming one injected failure, or empty. */
    synchronized OptionalInt takeFailure() {
        if (failuresLeft == 0) {
            return OptionalInt.empty();
        }
        failuresLeft--;
        return OptionalInt.of(failureStatus);
    }

    boolean available() {
        return available;
    }

    void setAvailable(boolean available) {
        this.available = available;
    }

    void setLatency(Duration latency) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        this.latency = latency;
    }

    /** Sleeps for the configured latency (real time). */
    void delay() throws InterruptedException {
        Duration current = latency;
        if (!current.isZero()) {
            Thread.sleep(current.toMillis(), current.toNanosPart() % 1_000_000);
        }
    }
}
