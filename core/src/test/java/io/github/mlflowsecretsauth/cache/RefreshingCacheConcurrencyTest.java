package io.github.mlflowsecretsauth.cache;

import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshingCacheConcurrencyTest {

    @Test
    void expiredValue_twoHundredThreads_blockUntilExactlyOneFetchCompletes() throws Exception {
        FakeClock clock = new FakeClock();
        ManualScheduler scheduler = new ManualScheduler(clock);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch fetchStarted = new CountDownLatch(1);
        CountDownLatch releaseFetch = new CountDownLatch(1);
        AtomicInteger phase = new AtomicInteger();
        RefreshingCache<String> cache = new RefreshingCache<>("test", () -> {
            int n = loads.incrementAndGet();
            if (phase.get() == 1) {
                fetchStarted.countDown();
                await(releaseFetch);
            }
            return new RefreshingCache.Loaded<>("v" + n, Duration.ofSeconds(60));
        }, clock, scheduler, CachePolicy.defaults(Duration.ZERO), () -> 0.5, v -> v);
        cache.get();
        clock.advance(Duration.ofSeconds(61)); // expired; the scheduler is not run, so no background refresh
        phase.set(1);

        int threads = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                return cache.get();
            }));
        }
        ready.await();
        go.countDown();
        assertThat(fetchStarted.await(10, TimeUnit.SECONDS)).isTrue();
        releaseFetch.countDown();
        for (Future<String> f : results) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("v2");
        }
        pool.shutdown();
        assertThat(loads).hasValue(2);
        cache.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
