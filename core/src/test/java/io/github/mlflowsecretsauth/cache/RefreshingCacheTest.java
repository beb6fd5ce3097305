package io.github.mlflowsecretsauth.cache;

import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RefreshingCacheTest {
    private static final Duration TTL = Duration.ofSeconds(300);

    private final FakeClock clock = new FakeClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final AtomicInteger version = new AtomicInteger();
    private final AtomicInteger loads = new AtomicInteger();
    private final AtomicBoolean backendDown = new AtomicBoolean();
    private final RefreshingCache<String> cache = new RefreshingCache<>("test", this::load, clock, scheduler,
            CachePolicy.defaults(Duration.ofSeconds(600)), () -> 0.5, v -> v.replaceAll("#.*", ""));

    private RefreshingCache.Loaded<String> load() {
        loads.incrementAndGet();
        if (backendDown.get()) {
            throw new BackendUnavailableException("backend down", null);
        }
        return new RefreshingCache.Loaded<>("v" + version.get() + "#" + loads.get(), TTL);
    }

    @AfterEach
    void close() {
        cache.close();
    }

    @Test
    void firstGet_fetchesOnce_thenServesFromMemory() {
        String first = cache.get();
        for (int i = 0; i < 100; i++) {
            assertThat(cache.get()).isSameAs(first);
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.stats().hits()).isEqualTo(100);
        assertThat(cache.status().state()).isEqualTo(RefreshingCache.State.FRESH);
    }

    @Test
    void warmCache_neverMakesACallerWait_acrossTenTtlCycles() {
        cache.get();
        long waitsAfterWarmUp = cache.stats().waits();
        for (int step = 0; step < 10 * 300; step++) {
            scheduler.advance(Duration.ofSeconds(1));
            cache.get();
        }
        assertThat(cache.stats().waits()).isEqualTo(waitsAfterWarmUp);
        assertThat(cache.stats().backgroundLoads()).isGreaterThanOrEqualTo(10);
        assertThat(cache.stats().blockingLoads()).isEqualTo(1);
    }

    @Test
    void idleCache_isRefreshedAheadOfExpiry_byTheScheduler() {
        cache.get();
        scheduler.advance(TTL.multipliedBy(3));
        assertThat(loads.get()).isGreaterThanOrEqualTo(4);
        long waits = cache.stats().waits();
        cache.get();
        assertThat(cache.stats().waits()).isEqualTo(waits);
    }

    @Test
    void staleValue_isServed_whileOneBackgroundRefreshRuns() {
        String first = cache.get();
        clock.advance(Duration.ofSeconds(250)); // past refresh-ahead, before expiry; scheduler not run
        version.set(2);
        for (int i = 0; i < 50; i++) {
            assertThat(cache.get()).isEqualTo(first);
        }
        assertThat(scheduler.runDue()).isGreaterThanOrEqualTo(1);
        assertThat(loads).hasValue(2);
        assertThat(cache.get()).startsWith("v2#");
    }

    @Test
    void backendOutage_servesStaleWithinGrace_thenFails() {
        String first = cache.get();
        backendDown.set(true);
        scheduler.advance(TTL.plusSeconds(60));
        assertThat(cache.get()).isEqualTo(first);
        assertThat(cache.stats().staleServed()).isPositive();
        scheduler.advance(Duration.ofSeconds(600));
        assertThatThrownBy(cache::get).isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void failedFetch_isRemembered_withBackoff_soTheBackendIsNotHammered() {
        backendDown.set(true);
        assertThatThrownBy(cache::get).isInstanceOf(BackendUnavailableException.class);
        for (int i = 0; i < 100; i++) {
            assertThatThrownBy(cache::get).isInstanceOf(SecretsAuthException.class);
        }
        assertThat(loads).hasValue(1);
        clock.advance(Duration.ofSeconds(2));
        backendDown.set(false);
        assertThat(cache.get()).startsWith("v0#");
        assertThat(loads).hasValue(2);
    }

    @Test
    void backoff_doublesUpToAPlateau() {
        CachePolicy p = CachePolicy.defaults(Duration.ZERO);
        assertThat(p.backoffMillis(1, 0.999)).isBetween(990L, 1000L);
        assertThat(p.backoffMillis(2, 0.999)).isBetween(1990L, 2000L);
        assertThat(p.backoffMillis(8, 0.999)).isBetween(127_000L, 128_000L);
        assertThat(p.backoffMillis(30, 0.999)).isBetween(127_000L, 128_000L);
        assertThat(p.backoffMillis(3, 0.0)).isEqualTo(2000L);
    }

    @Test
    void invalidate_dropsOnlyTheRejectedValue_andNextGetFetches() {
        String first = cache.get();
        version.set(1);
        assertThat(cache.invalidate("something else")).isFalse();
        assertThat(cache.invalidate(first)).isTrue();
        assertThat(cache.invalidate(first)).isFalse();
        assertThat(cache.get()).startsWith("v1#");
        assertThat(loads).hasValue(2);
    }

    @Test
    void invalidatingTheSameRejectedCredentialAgain_backsOff() {
        String first = cache.get();
        assertThat(cache.invalidate(first)).isTrue();
        String second = cache.get(); // backend has not rotated: same content
        assertThat(cache.invalidate(second)).isFalse();
        assertThat(loads).hasValue(2);
        clock.advance(Duration.ofSeconds(2));
        assertThat(cache.invalidate(second)).isTrue();
    }

    @Test
    void aFetchInFlightWhenTheServerRejects_doesNotHandTheRejectedCredentialBack() {
        java.util.concurrent.atomic.AtomicReference<Runnable> midFetch = new java.util.concurrent.atomic.AtomicReference<>(() -> { });
        RefreshingCache<String> c = new RefreshingCache<>("test", () -> {
            loads.incrementAndGet();
            String read = "v" + version.get() + "#" + loads.get(); // what the backend held when the fetch read it
            midFetch.getAndSet(() -> { }).run();
            return new RefreshingCache.Loaded<>(read, TTL);
        }, clock, scheduler, CachePolicy.defaults(Duration.ofSeconds(600)), () -> 0.5, v -> v.replaceAll("#.*", ""));
        try {
            String first = c.get();
            clock.advance(Duration.ofSeconds(250)); // past refresh-ahead: the next get starts a background fetch
            // While that fetch is on the wire, the secret rotates and the server rejects the old credential.
            midFetch.set(() -> {
                version.set(1);
                assertThat(c.invalidate(first)).isTrue();
            });
            assertThat(c.get()).isEqualTo(first);
            scheduler.runDue();
            assertThat(c.get()).startsWith("v1#");
            assertThat(loads).hasValue(3);
        } finally {
            c.close();
        }
    }

    @Test
    void aRefreshThatReadBeforeTheRotationAndFinishedBeforeTheRejection_isDroppedToo() {
        RefreshingCache<String> c = new RefreshingCache<>("test", () -> {
            loads.incrementAndGet();
            return new RefreshingCache.Loaded<>("v" + version.get() + "#" + loads.get(), TTL); // a new object each time
        }, clock, scheduler, CachePolicy.defaults(Duration.ofSeconds(600)), () -> 0.5, v -> v.replaceAll("#.*", ""));
        try {
            String sent = c.get(); // a client sends v0
            clock.advance(Duration.ofSeconds(250));
            c.get();
            scheduler.runDue(); // a refresh-ahead reads v0 again (the backend has not rotated yet) and installs it
            assertThat(c.get()).isNotSameAs(sent).startsWith("v0#");
            version.set(1); // the rotation; the server now rejects v0, and the client reports what it sent
            assertThat(c.invalidate(sent)).as("the current value has the rejected content").isTrue();
            assertThat(c.get()).startsWith("v1#");
        } finally {
            c.close();
        }
    }

    @Test
    void invalidatedValue_isNotServedAsStale_whenTheRefetchFails() {
        String first = cache.get();
        cache.invalidate(first);
        backendDown.set(true);
        assertThatThrownBy(cache::get).isInstanceOf(BackendUnavailableException.class);
    }

    @Test
    void clear_dropsTheValue_soTheNextCallerFetches() {
        cache.get();
        assertThat(cache.clear()).isTrue();
        assertThat(cache.status().state()).isEqualTo(RefreshingCache.State.INVALIDATED);
        cache.get();
        assertThat(loads).hasValue(2);
    }

    @Test
    void aStormOfClears_costsAtMostOneFetchPerSecond_andTheLastOneIsNotLost() {
        cache.get();
        for (int ms = 0; ms < 10_000; ms += 10) {
            cache.clear();
            cache.get();
            scheduler.advance(Duration.ofMillis(10));
        }
        assertThat(loads.get()).isBetween(10, 11);
        version.incrementAndGet();
        cache.clear();
        assertThat(cache.clear()).as("within a second of the last one: deferred").isFalse();
        scheduler.advance(RefreshingCache.MIN_CLEAR_INTERVAL);
        assertThat(cache.get()).startsWith("v1#");
    }

    @Test
    void clear_keepsTheFailureBackoff() {
        backendDown.set(true);
        assertThatThrownBy(cache::get).isInstanceOf(BackendUnavailableException.class);
        int afterFailure = loads.get();
        for (int i = 0; i < 50; i++) {
            cache.clear();
            scheduler.advance(Duration.ofMillis(10));
            assertThatThrownBy(cache::get).isInstanceOf(BackendUnavailableException.class);
        }
        assertThat(loads.get()).as("the 0.75 s backoff allowed no fetch in 0.5 s").isEqualTo(afterFailure);
    }

    @Test
    void policy_rejectsNonsense() {
        assertThatThrownBy(() -> new CachePolicy(0.2, 0.1, Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CachePolicy(0.75, 0.1, Duration.ZERO, Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(10)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
