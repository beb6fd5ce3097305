package io.github.mlflowsecretsauth.cache;

import io.github.mlflowsecretsauth.retry.Backoff;

import java.time.Duration;

/**
 * Timing rules of a {@link RefreshingCache}. All schedules are jittered.
 *
 * @param refreshAhead   fraction of the TTL after which a value is STALE: still served, refreshed once in the background (0.5..0.95)
 * @param ttlJitter      up to this fraction is taken off each TTL at random, so many processes do not refresh together (0..0.5)
 * @param staleIfError   how long past its expiry a value is still served while the backend fails
 * @param initialBackoff the wait after a first failed fetch before the backend is asked again
 * @param maxBackoff     the plateau of the doubling backoff
 * @param fetchDeadline  how long one fetch may take before it is abandoned and counted as a failure; no caller
 *                       waits longer than this for a fetch
 */
public record CachePolicy(double refreshAhead, double ttlJitter, Duration staleIfError, Duration initialBackoff,
                          Duration maxBackoff, Duration fetchDeadline) {

    public CachePolicy {
        if (!(refreshAhead >= 0.5 && refreshAhead <= 0.95)) {
            throw new IllegalArgumentException("refreshAhead must be within 0.5..0.95");
        }
        if (!(ttlJitter >= 0 && ttlJitter <= 0.5)) {
            throw new IllegalArgumentException("ttlJitter must be within 0..0.5");
        }
        if (staleIfError.isNegative() || initialBackoff.isNegative() || initialBackoff.isZero()
                || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("staleIfError must be >= 0 and 0 < initialBackoff <= maxBackoff");
        }
        if (fetchDeadline.isNegative() || fetchDeadline.isZero()) {
            throw new IllegalArgumentException("fetchDeadline must be positive");
        }
    }

    /** Refresh at 75% of the TTL, 10% TTL jitter, backoff from 1 s doubling to 128 s, 10 s fetch deadline. */
    public static CachePolicy defaults(Duration staleIfError) {
        return new CachePolicy(0.75, 0.1, staleIfError, Duration.ofSeconds(1), Duration.ofSeconds(128),
                Duration.ofSeconds(10));
    }

    /** This policy with another fetch deadline. */
    public CachePolicy withFetchDeadline(Duration deadline) {
        return new CachePolicy(refreshAhead, ttlJitter, staleIfError, initialBackoff, maxBackoff, deadline);
    }

    /** The jittered backoff after {@code failures} consecutive failures (1-based). */
    long backoffMillis(int failures, double random) {
        return backoff().delayMillis(failures - 1, random);
    }

    /** The failure backoff as the project's one {@link Backoff} rule. */
    public Backoff backoff() {
        return new Backoff(initialBackoff, maxBackoff);
    }
}
