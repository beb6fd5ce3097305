package io.github.mlflowsecretsauth.cache;

import java.util.concurrent.atomic.LongAdder;

/** Counters of a {@link RefreshingCache}; cheap to update from many threads. */
public final class CacheStats {
    final LongAdder hits = new LongAdder();
    final LongAdder staleServed = new LongAdder();
    final LongAdder waits = new LongAdder();
    final LongAdder blockingLoads = new LongAdder();
    final LongAdder backgroundLoads = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder invalidations = new LongAdder();
    final LongAdder fetchNanos = new LongAdder();
    final LongAdder fetches = new LongAdder();

    /** Calls answered from the cache without waiting. */
    public long hits() {
        return hits.sum();
    }

    /** Calls answered with an expired value because the backend failed (stale-if-error). */
    public long staleServed() {
        return staleServed.sum();
    }

    /** Calls that had to wait for a backend fetch. */
    public long waits() {
        return waits.sum();
    }

    /** Fetches made on a caller's thread because nothing usable was cached. */
    public long blockingLoads() {
        return blockingLoads.sum();
    }

    /** Fetches made in the background (refresh-ahead, change notifications). */
    public long backgroundLoads() {
        return backgroundLoads.sum();
    }

    /** All fetches started. */
    public long loads() {
        return blockingLoads.sum() + backgroundLoads.sum();
    }

    public long failures() {
        return failures.sum();
    }

    /** Values dropped because a server rejected them (401/403) or the cache was cleared. */
    public long invalidations() {
        return invalidations.sum();
    }

    /** Completed backend fetches, successful or not. */
    public long completedFetches() {
        return fetches.sum();
    }

    /** Total time spent in completed backend fetches, for an average fetch latency. */
    public long fetchNanosTotal() {
        return fetchNanos.sum();
    }

    @Override
    public String toString() {
        return "CacheStats{hits=" + hits() + ", waits=" + waits() + ", loads=" + loads() + ", backgroundLoads="
                + backgroundLoads() + ", failures=" + failures() + ", staleServed=" + staleServed()
                + ", invalidations=" + invalidations() + "}";
    }
}
