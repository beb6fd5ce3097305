package io.github.mlflowsecretsauth.retry;

import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Retries a backend call on transient failures (network, 5xx, 429) with exponential backoff and
 * jitter; never on access denied, not found or malformed secrets. A server's {@code Retry-After}
 * is honoured up to the maximum delay. Immutable and thread-safe.
 */
public final class RetryPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPolicy.class);

    private final int maxRetries;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final DoubleSupplier random;

    /** Sleeps between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public RetryPolicy(int maxRetries, Duration baseDelay, Duration maxDelay, Sleeper sleeper, DoubleSupplier random) {
        if (maxRetries < 0 || baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("invalid retry policy");
        }
        this.maxRetries = maxRetries;
        this.backoff = new Backoff(baseDelay, maxDelay);
        this.sleeper = sleeper;
        this.random = random;
    }

    public static RetryPolicy defaults(int maxRetries, Sleeper sleeper, DoubleSupplier random) {
        return new RetryPolicy(maxRetries, Duration.ofMillis(200), Duration.ofSeconds(5), sleeper, random);
    }

    /** The engine's source of jitter in [0, 1), for a provider's own jittered schedules (a token's renewal). */
    public DoubleSupplier random() {
        return random;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** The delay before retry number {@code retry} (0-based): the server's {@code Retry-After}, else the {@link Backoff}. */
    public Duration delay(int retry, BackendUnavailableException cause) {
        if (cause != null && cause.retryAfter().isPresent()) {
            Duration ra = cause.retryAfter().get();
            return ra.isNegative() ? Duration.ZERO : ra.compareTo(backoff.max()) > 0 ? backoff.max() : ra;
        }
        return backoff.delay(retry, random.getAsDouble());
    }

    /** Calls {@code call}, retrying transient failures; {@code what} names the call in logs. */
    public <T> T call(String what, Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (SecretsAuthException e) {
                if (!e.isTransient() || attempt >= maxRetries) {
                    throw e;
                }
                Duration d = delay(attempt, e instanceof BackendUnavailableException b ? b : null);
                LOG.info("{} failed ({}); retry {} of {} in {} ms", what, e.getMessage(), attempt + 1, maxRetries, d.toMillis());
                try {
                    sleeper.sleep(d);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
