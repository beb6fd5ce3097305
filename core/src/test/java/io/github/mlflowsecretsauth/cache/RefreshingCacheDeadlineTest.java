package io.github.mlflowsecretsauth.cache;

import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** A fetch that stalls is abandoned at the deadline; nobody waits behind it. Time is the fake clock's. */
class RefreshingCacheDeadlineTest {
    private static final Duration TTL = Duration.ofSeconds(300);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final FakeClock clock = new FakeClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final ExecutorService loadThreads = Executors.newCachedThreadPool();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final AtomicBoolean stall = new AtomicBoolean();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore stalled = new Semaphore(0);
    private final AtomicInteger loads = new AtomicInteger();
    private final RefreshingCache<String> cache = new RefreshingCache<>("provider test", this::load, clock, scheduler,
            loadThreads, CachePolicy.defaults(Duration.ofSeconds(600)).withFetchDeadline(DEADLINE), () -> 0.5, v -> v);

    private RefreshingCache.Loaded<String> load() {
        int n = loads.incrementAndGet();
        if (stall.get()) {
            stalled.release();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new RefreshingCache.Loaded<>("late-" + n, TTL);
        }
        return new RefreshingCache.Loaded<>("v" + n, TTL);
    }

    @AfterEach
    void close() throws InterruptedException {
        release.countDown();
        cache.close();
        callers.shutdownNow();
        loadThreads.shutdown();
        assertThat(loadThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void coldCache_stalledFetch_releasesEveryWaiterWithOneClearError_atTheDeadline() throws Exception {
        stall.set(true);
        List<Future<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(callers.submit(cache::get));
        }
        assertThat(stalled.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(waiting).noneMatch(Future::isDone);

        scheduler.advance(DEADLINE);

        for (Future<String> w : waiting) {
            assertThatThrownBy(() -> w.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BackendUnavailableException.class)
                    .hasMessage("provider test did not answer within 10 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC); "
                            + "the fetch was abandoned and is retried with backoff");
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.stats().failures()).isEqualTo(1);
        assertThat(cache.status().lastError()).hasValueSatisfying(m -> assertThat(m).contains("did not answer"));
    }

    @Test
    void theNextFetch_doesNotQueueBehindTheStuckOne_andItsLateResultIsDiscarded() throws Exception {
        stall.set(true);
        Future<String> first = callers.submit(cache::get);
        assertThat(stalled.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        scheduler.advance(DEADLINE);
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(BackendUnavailableException.class);

        stall.set(false);
        assertThatThrownBy(cache::get).as("within the backoff the error is answered without a fetch")
                .isInstanceOf(BackendUnavailableException.class);
        assertThat(loads).hasValue(1);
        scheduler.advance(Duration.ofSeconds(2));
        String fresh = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> cache.get());
        assertThat(fresh).isEqualTo("v2");

        release.countDown();
        loadThreads.shutdown();
        assertThat(loadThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(cache.get()).isEqualTo("v2");
        assertThat(cache.stats().failures()).isEqualTo(1);
    }

    @Test
    void warmCache_stalledRefresh_neverMakesACallerWait_throughExpiryAndTheGraceWindow() {
        assertThat(cache.get()).isEqualTo("v1");
        stall.set(true);
        long waits = cache.stats().waits();
        for (int s = 0; s < 800; s++) {
            scheduler.advance(Duration.ofSeconds(1));
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(5), () -> cache.get())).isEqualTo("v1");
        }
        assertThat(cache.stats().waits()).isEqualTo(waits);
        assertThat(cache.stats().failures()).as("each stuck refresh was abandoned and counted").isGreaterThan(3);
        assertThat(loads.get()).as("the backoff spaced the attempts out").isLessThan(20);
    }

    @Test
    void aWaiter_isReleasedInRealTime_evenIfNoTimerFires() {
        RefreshingCache<String> quick = new RefreshingCache<>("provider test", this::load, clock, scheduler,
                loadThreads, CachePolicy.defaults(Duration.ZERO).withFetchDeadline(Duration.ofMillis(300)),
                () -> 0.5, v -> v);
        stall.set(true);
        long started = System.nanoTime();
        assertThatThrownBy(quick::get).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC");
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).isBetween(250L, 3_000L);
        quick.close();
    }
}
