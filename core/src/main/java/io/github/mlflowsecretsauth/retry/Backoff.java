package io.github.mlflowsecretsauth.retry;

import java.time.Duration;

/**
 * The one backoff rule of the project: the wait before retry {@code n} (0-based) doubles from {@code initial} up to
 * {@code max}, and is then drawn uniformly from half to all of that ("equal jitter"), so it keeps growing but
 * many clients that failed together do not retry together. Used by the engine's retries ({@link RetryPolicy}), the
 * cache's failure backoff and the proxy's retries. Immutable.
 *
 * @param initial the un-jittered wait before the first retry; zero means retry at once
 * @param max     the plateau
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 <= initial <= max");
        }
    }

    /** The wait before retry {@code n} (0-based), with {@code random} uniform in [0, 1). */
    public Duration delay(int n, double random) {
        return Duration.ofMillis(delayMillis(n, random));
    }

    /** {@link #delay} in milliseconds. */
    public long delayMillis(int n, double random) {
        long doubled = initial.toMillis() << Math.min(Math.max(n, 0), 30);
        long capped = doubled < 0 ? max.toMillis() : Math.min(max.toMillis(), doubled);
        return (long) (capped * (0.5 + 0.5 * random));
    }
}
