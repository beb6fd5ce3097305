package io.github.mlflowsecretsauth.cache;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Holds one value fetched from a slow backend and keeps it fresh, in the manner of Google's
 * {@code OAuth2Credentials}:
 * <ul>
 *   <li>FRESH: served from memory, a volatile read and a clock read, no lock;</li>
 *   <li>STALE (past {@link CachePolicy#refreshAhead()} of its TTL): served, and refreshed once in the background;</li>
 *   <li>EXPIRED, INVALIDATED or EMPTY: callers wait for one fetch; exactly one is in flight at a time,
 *       and the backend call runs outside the lock.</li>
 * </ul>
 * A failed fetch is remembered with a jittered, doubling backoff, so a broken backend is not called on
 * every request; meanwhile an expired value is still served within the stale-if-error grace window.
 * After each fetch a background refresh is scheduled ahead of expiry, so once warm no caller waits.
 *
 * <p>A fetch that runs past {@link CachePolicy#fetchDeadline()} is abandoned, like Vault Agent gives up on
 * a stuck request: its waiters are released (with the stale value if within the grace window, otherwise
 * with a {@link BackendUnavailableException}), it counts as a failure for the backoff, and the next fetch
 * does not queue behind it; whatever it returns late is discarded. No caller waits longer than the deadline.
 *
 * <p>Thread-safe. Time and threads are injected ({@link Clock}, {@link Scheduler}, and the {@link Executor}
 * that runs a fetch a caller waits for). Fetch failures surface as the loader's own unchecked exception.
 *
 * @param <T> the cached value, immutable
 */
public final class RefreshingCache<T> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingCache.class);
    /** Clears closer together than this are merged into one; see {@link #clear()}. */
    public static final Duration MIN_CLEAR_INTERVAL = Duration.ofSeconds(1);

    /** Fetches a new value and says how long it stays valid. */
    @FunctionalInterface
    public interface Loader<T> {
        Loaded<T> load();
    }

    /**
     * A fetched value and its TTL.
     *
     * @param hardExpiry the value is useless after its TTL (a minted token past its own expiry), so it is never
     *                   served stale through a backend failure
     */
    public record Loaded<T>(T value, Duration ttl, boolean hardExpiry) {
        public Loaded {
            Objects.requireNonNull(value, "value");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive");
            }
        }

        /** A value that may be served stale, within the policy's stale-if-error window, while the backend fails. */
        public Loaded(T value, Duration ttl) {
            this(value, ttl, false);
        }
    }

    /** Freshness of the held value. */
    public enum State { EMPTY, FRESH, STALE, EXPIRED, INVALIDATED }

    /** A point-in-time view for status reports; contains no value. */
    public record Status(State state, Optional<Instant> fetchedAt, Optional<Instant> refreshAt,
                         Optional<Instant> expiresAt, Optional<String> lastError, Optional<Instant> nextAttempt) {
    }

    /** {@code serveUntil}: the end of the stale-if-error window ({@code expiresAt} for a hard expiry). */
    private record Entry<T>(T value, long fetchedAt, long staleAt, long expiresAt, long serveUntil, boolean invalidated,
                            int rejections, long invalidatableAt) {
        Entry<T> asInvalidated() {
            return new Entry<>(value, fetchedAt, staleAt, expiresAt, serveUntil, true, rejections, invalidatableAt);
        }
    }

    private record Failure(RuntimeException error, long retryAt, int consecutive) {
    }

    private final String name;
    private final Loader<T> loader;
    private final Clock clock;
    private final Scheduler scheduler;
    private final Executor loads;
    private final CachePolicy policy;
    private final DoubleSupplier random;
    private final Function<T, Object> contentKey;
    private final CacheStats stats = new CacheStats();
    private final Object lock = new Object();

    private volatile Entry<T> entry;
    private volatile Failure failure;
    private volatile CompletableFuture<Entry<T>> inFlight; // written under lock
    private Scheduler.Cancellable pendingTick; // guarded by lock
    private Entry<T> lastInvalidated; // guarded by lock
    private CompletableFuture<Entry<T>> inFlightAtRejection; // guarded by lock: may have read before the server's rotation
    private boolean closed; // guarded by lock
    private long nextClearAt = Long.MIN_VALUE; // guarded by lock
    private boolean clearDeferred; // guarded by lock

    /**
     * @param name       names the cache in logs
     * @param contentKey identifies a value's content, to notice when a refetch returns the same
     *                   credential a server just rejected (then further invalidations back off)
     */
    public RefreshingCache(String name, Loader<T> loader, Clock clock, Scheduler scheduler, CachePolicy policy,
                           DoubleSupplier random, Function<T, Object> contentKey) {
        this(name, loader, clock, scheduler, Runnable::run, policy, random, contentKey);
    }

    /**
     * @param loads runs a fetch that callers wait for ({@code Runnable::run} runs it on the first caller's
     *              thread, which then cannot be released early if the backend stalls; use a pool in production)
     */
    public RefreshingCache(String name, Loader<T> loader, Clock clock, Scheduler scheduler, Executor loads,
                           CachePolicy policy, DoubleSupplier random, Function<T, Object> contentKey) {
        this.name = name;
        this.loader = loader;
        this.clock = clock;
        this.scheduler = scheduler;
        this.loads = loads;
        this.policy = policy;
        this.random = random;
        this.contentKey = contentKey;
    }

    /** The current value, fetching it if there is none usable. Throws the loader's exception if it fails. */
    public T get() {
        Entry<T> e = entry;
        long now = clock.millis();
        if (e != null && !e.invalidated) {
            if (now < e.staleAt) {
                stats.hits.increment();
                return e.value;
            }
            if (now < e.expiresAt) {
                stats.hits.increment();
                refreshInBackground(false);
                return e.value;
            }
        }
        return awaitFetch(e, now);
    }

    private T awaitFetch(Entry<T> seen, long now) {
        CompletableFuture<Entry<T>> f;
        T stale = null;
        boolean owner = false;
        synchronized (lock) {
            Entry<T> cur = entry;
            if (cur != seen && usable(cur, now)) {
                stats.hits.increment();
                return cur.value;
            }
            Failure fl = failure;
            if (fl != null && cur != null && !cur.invalidated && now < cur.serveUntil) {
                // The backend is known to be failing: serve the expired value without making this caller wait,
                // and let one background fetch probe the backend once the backoff allows.
                stats.staleServed.increment();
                stale = cur.value;
                f = null;
            } else {
                if (inFlight == null) {
                    if (fl != null && now < fl.retryAt) {
                        throw fl.error;
                    }
                    inFlight = new CompletableFuture<>();
                    owner = true;
                }
                f = inFlight;
            }
        }
        if (f == null) {
            refreshInBackground(false);
            return stale;
        }
        stats.waits.increment();
        if (owner) {
            stats.blockingLoads.increment();
            try {
                startLoad(f, loads);
            } catch (RejectedExecutionException ex) {
                runLoad(f); // shutting down: no pool, no deadline
            }
        }
        try {
            f.get(policy.fetchDeadline().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException ex) {
            abandon(f); // the scheduler's deadline normally fires first; this is the backstop in real time
        } catch (ExecutionException | CancellationException ex) {
            // settled below
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException(name + ": interrupted while waiting for a fetch", null);
        }
        return settled(f);
    }

    private T settled(CompletableFuture<Entry<T>> f) {
        try {
            return f.join().value;
        } catch (CompletionException | CancellationException ex) {
            RuntimeException cause = ex.getCause() instanceof RuntimeException r ? r : ex;
            return staleOrThrow(entry, cause, clock.millis());
        }
    }

    /** Runs a fetch on {@code executor} with its deadline armed on the scheduler. */
    private void startLoad(CompletableFuture<Entry<T>> f, Executor executor) {
        Scheduler.Cancellable deadline = scheduler.schedule(policy.fetchDeadline(), () -> abandon(f));
        f.whenComplete((v, t) -> deadline.cancel());
        executor.execute(() -> runLoad(f));
    }

    /** Gives up on a fetch that passed its deadline: a failure for the backoff; its late result is discarded. */
    private void abandon(CompletableFuture<Entry<T>> f) {
        if (!f.isDone()) {
            BackendUnavailableException error = timeoutError();
            recordFailure(f, error);
            f.completeExceptionally(error);
        }
    }

    private BackendUnavailableException timeoutError() {
        return new BackendUnavailableException(name + " did not answer within " + policy.fetchDeadline().toSeconds()
                + " s (" + ConfigKeys.FETCH_TIMEOUT_SEC + "); the fetch was abandoned and is retried with backoff", null);
    }

    private static boolean usable(Entry<?> e, long now) {
        return e != null && !e.invalidated && now < e.expiresAt;
    }

    private T staleOrThrow(Entry<T> e, RuntimeException error, long now) {
        if (e != null && !e.invalidated && now < e.serveUntil) {
            stats.staleServed.increment();
            return e.value;
        }
        throw error;
    }

    /**
     * Starts one background fetch unless one is in flight. Unless {@code force}, a fetch is not
     * started while a failure backoff runs.
     */
    public void refreshInBackground(boolean force) {
        if (inFlight != null) {
            return;
        }
        CompletableFuture<Entry<T>> f;
        synchronized (lock) {
            if (closed || inFlight != null) {
                return;
            }
            Failure fl = failure;
            if (!force && fl != null && clock.millis() < fl.retryAt) {
                return;
            }
            f = new CompletableFuture<>();
            inFlight = f;
        }
        stats.backgroundLoads.increment();
        try {
            startLoad(f, task -> scheduler.execute(() -> loads.execute(task)));
        } catch (RejectedExecutionException ex) {
            synchronized (lock) {
                if (inFlight == f) {
                    inFlight = null;
                }
            }
            f.cancel(false);
        }
    }

    private void runLoad(CompletableFuture<Entry<T>> f) {
        if (f.isDone()) {
            return; // abandoned before it started (a saturated executor)
        }
        Loaded<T> loaded;
        for (int attempt = 0; ; attempt++) {
            long started = System.nanoTime(); // a duration for metrics only; never used for freshness decisions
            try {
                loaded = loader.load();
            } catch (RuntimeException ex) {
                stats.fetches.increment();
                stats.fetchNanos.add(System.nanoTime() - started);
                recordFailure(f, ex);
                return;
            }
            stats.fetches.increment();
            stats.fetchNanos.add(System.nanoTime() - started);
            if (attempt > 0 || !readBeforeRejection(f, loaded)) {
                break;
            }
            LOG.debug("{}: a fetch that began before a server rejected the credential returned it; fetching once more", name);
        }
        Entry<T> fresh;
        synchronized (lock) {
            if (inFlight != f) {
                LOG.debug("{}: a fetch finished after its deadline; its result is discarded", name);
                return;
            }
            fresh = newEntry(loaded, clock.millis());
            entry = fresh;
            failure = null;
            inFlight = null;
            scheduleTick(fresh.staleAt);
        }
        f.complete(fresh);
    }

    /**
     * Whether {@code f}, in flight when a server rejected the credential, brought back that same credential: it may
     * have read the backend before the rotation that made the server reject it, so the callers waiting for a fresh
     * credential must not get it. Fetched once more (within the same deadline) instead.
     */
    private boolean readBeforeRejection(CompletableFuture<Entry<T>> f, Loaded<T> loaded) {
        synchronized (lock) {
            if (f != inFlightAtRejection) {
                return false;
            }
            inFlightAtRejection = null;
            Entry<T> rejected = lastInvalidated;
            return inFlight == f && rejected != null
                    && Objects.equals(contentKey.apply(rejected.value), contentKey.apply(loaded.value()));
        }
    }

    private Entry<T> newEntry(Loaded<T> loaded, long now) {
        long ttl = loaded.ttl().toMillis();
        long effective = Math.max(1, (long) (ttl * (1.0 - policy.ttlJitter() * random.getAsDouble())));
        long staleAfter = (long) (effective * policy.refreshAhead() * (0.9 + 0.1 * random.getAsDouble()));
        int rejections = 0;
        long invalidatableAt = now;
        Entry<T> rejected = lastInvalidated;
        if (rejected != null && Objects.equals(contentKey.apply(rejected.value), contentKey.apply(loaded.value()))) {
            // The backend handed back the credential a server just rejected: it has not rotated yet.
            rejections = rejected.rejections + 1;
            invalidatableAt = now + policy.backoffMillis(rejections, random.getAsDouble());
        }
        lastInvalidated = null;
        long expiresAt = now + effective;
        long serveUntil = loaded.hardExpiry() ? expiresAt : expiresAt + policy.staleIfError().toMillis();
        return new Entry<>(loaded.value(), now, now + staleAfter, expiresAt, serveUntil, false, rejections,
                invalidatableAt);
    }

    private void recordFailure(CompletableFuture<Entry<T>> f, RuntimeException ex) {
        Failure fl;
        Entry<T> e;
        synchronized (lock) {
            if (inFlight != f) {
                return; // abandoned already: its failure was counted then
            }
            long now = clock.millis();
            int consecutive = failure == null ? 1 : failure.consecutive + 1;
            fl = new Failure(ex, now + policy.backoffMillis(consecutive, random.getAsDouble()), consecutive);
            failure = fl;
            inFlight = null;
            e = entry;
            if (e != null && !e.invalidated) {
                scheduleTick(fl.retryAt);
            }
        }
        stats.failures.increment();
        if (e != null && !e.invalidated) {
            LOG.warn("{}: refresh failed ({}); serving the credential fetched at {} until {}, next attempt in {} ms",
                    name, ex.getMessage(), Instant.ofEpochMilli(e.fetchedAt), Instant.ofEpochMilli(e.serveUntil),
                    fl.retryAt - clock.millis());
        } else {
            LOG.warn("{}: fetch failed ({}); next attempt in {} ms", name, ex.getMessage(), fl.retryAt - clock.millis());
        }
        f.completeExceptionally(ex);
    }

    private void scheduleTick(long at) {
        if (closed) {
            return;
        }
        if (pendingTick != null) {
            pendingTick.cancel();
        }
        long delay = Math.max(0, at - clock.millis());
        pendingTick = scheduler.schedule(Duration.ofMillis(delay), this::tick);
    }

    private void tick() {
        Entry<T> e = entry;
        long now = clock.millis();
        if (e == null || e.invalidated) {
            return;
        }
        if (now >= e.staleAt) {
            refreshInBackground(false);
        } else {
            synchronized (lock) {
                scheduleTick(e.staleAt);
            }
        }
    }

    /**
     * Whether the current value is the rejected one: the same object, or a later fetch that brought back the same
     * content (it read the backend before the rotation that made the server reject it, and finished before the
     * rejection came), which the server refuses just the same.
     */
    private boolean sameContent(T current, T rejected) {
        return current == rejected || Objects.equals(contentKey.apply(current), contentKey.apply(rejected));
    }

    /**
     * Drops {@code rejected} if it is still the current value, because a server refused it; the next
     * caller waits for a fresh fetch. Returns false if the value already changed (someone refreshed),
     * or if the backend just handed back this same rejected credential and the invalidation backoff
     * has not run out, so a server that rejects everything cannot make us hammer the backend.
     */
    public boolean invalidate(T rejected) {
        synchronized (lock) {
            Entry<T> e = entry;
            if (e == null || e.invalidated || !sameContent(e.value, rejected) || clock.millis() < e.invalidatableAt) {
                return false;
            }
            lastInvalidated = e;
            entry = e.asInvalidated();
            inFlightAtRejection = inFlight;
        }
        stats.invalidations.increment();
        return true;
    }

    /**
     * Drops the current value, so the next caller fetches a fresh one (the CLI's {@code cache clear}). At most
     * one clear per {@link #MIN_CLEAR_INTERVAL} takes effect at once; a clear within it is deferred to its end,
     * so a storm of clears costs the backend at most one fetch per interval and none is lost. A failure backoff
     * that runs is kept: clearing cannot make a failing backend be asked sooner.
     *
     * @return true if the value was dropped now, false if the clear was deferred
     */
    public boolean clear() {
        synchronized (lock) {
            long now = clock.millis();
            if (now >= nextClearAt) {
                dropForClear(now);
                return true;
            }
            if (!clearDeferred && !closed) {
                clearDeferred = true;
                scheduler.schedule(Duration.ofMillis(nextClearAt - now), () -> {
                    synchronized (lock) {
                        clearDeferred = false;
                        dropForClear(clock.millis());
                    }
                });
            }
            return false;
        }
    }

    private void dropForClear(long now) {
        nextClearAt = now + MIN_CLEAR_INTERVAL.toMillis();
        Entry<T> e = entry;
        if (e != null && !e.invalidated) {
            entry = e.asInvalidated();
            stats.invalidations.increment();
        }
        lastInvalidated = null;
    }

    /** The held value in whatever state, without fetching. */
    public Optional<T> peek() {
        Entry<T> e = entry;
        return e == null ? Optional.empty() : Optional.of(e.value);
    }

    public Status status() {
        Entry<T> e = entry;
        Failure fl = failure;
        long now = clock.millis();
        State state = e == null ? State.EMPTY : e.invalidated ? State.INVALIDATED
                : now < e.staleAt ? State.FRESH : now < e.expiresAt ? State.STALE : State.EXPIRED;
        return new Status(state,
                Optional.ofNullable(e).map(x -> Instant.ofEpochMilli(x.fetchedAt)),
                Optional.ofNullable(e).map(x -> Instant.ofEpochMilli(x.staleAt)),
                Optional.ofNullable(e).map(x -> Instant.ofEpochMilli(x.expiresAt)),
                Optional.ofNullable(fl).map(x -> x.error.getMessage()),
                Optional.ofNullable(fl).map(x -> Instant.ofEpochMilli(x.retryAt)));
    }

    public CacheStats stats() {
        return stats;
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (pendingTick != null) {
                pendingTick.cancel();
                pendingTick = null;
            }
        }
    }

    @Override
    public String toString() {
        return "RefreshingCache{" + name + ", " + status().state() + "}";
    }
}
