package io.github.mlflowsecretsauth.provider.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine with the oauth2 provider and the OAuth testkit on one fake clock: a token is refreshed ahead of its own
 * expiry, and many concurrent {@code headersFor} calls over many lifetimes cost about one token request per lifetime,
 * with no call failing and no token served past its {@code exp}.
 */
class OAuth2RefreshTest {
    private static final URI MLFLOW = URI.create("http://mlflow.test/api/2.0/mlflow/runs/create");
    private final OAuth2Fixture f = new OAuth2Fixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private SecretsAuth engine() {
        Map<String, String> s = f.settings(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "oauth2", "MLFLOW_SECRETS_MAX_RETRIES", "0"));
        return SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).clock(f.clock).scheduler(f.scheduler)
                .sleeper(d -> { }).random(() -> 0.5).build();
    }

    private Instant expiryOf(String header) {
        return f.idp.signingKey().verify(header.substring("Bearer ".length())).orElseThrow().getExpirationTime().toInstant();
    }

    @Test
    void theTokenIsRefreshedAheadOfItsExpiry_inTheBackground() {
        try (SecretsAuth auth = engine()) {
            String first = auth.headersFor(MLFLOW).get("Authorization");
            assertThat(expiryOf(first)).isEqualTo(f.clock.instant().plusSeconds(300));
            f.scheduler.advance(Duration.ofSeconds(290)); // ten seconds before the token's exp
            assertThat(f.idp.tokensIssued()).isEqualTo(2);
            String second = auth.headersFor(MLFLOW).get("Authorization");
            assertThat(second).isNotEqualTo(first);
            assertThat(expiryOf(second)).isAfter(expiryOf(first));
            assertThat(auth.currentSnapshot().expiresAt()).contains(expiryOf(second));
        }
    }

    /** What {@code status} reports: the next refresh comes from the token's own exp, not from the 300 s cache TTL. */
    @Test
    void statusShowsTheNextRefresh_aheadOfTheTokensExp_andMovesOnAfterIt() {
        f.idp.tokenLifetime(Duration.ofSeconds(60));
        try (SecretsAuth auth = engine()) {
            assertThat(auth.status().nextRefresh()).as("nothing fetched yet").isEmpty();
            Instant exp = expiryOf(auth.headersFor(MLFLOW).get("Authorization"));
            Instant due = auth.status().nextRefresh().orElseThrow();
            System.out.println("oauth2: fetched at " + f.clock.instant() + ", exp " + exp + ", next refresh " + due);
            assertThat(due).isAfter(f.clock.instant()).isBefore(exp);
            f.scheduler.advance(Duration.between(f.clock.instant(), due));
            assertThat(f.idp.tokensIssued()).as("refreshed when status said").isEqualTo(2);
            Instant next = auth.status().nextRefresh().orElseThrow();
            assertThat(next).isAfter(due).isBefore(expiryOf(auth.headersFor(MLFLOW).get("Authorization")));
        }
    }

    @Test
    void manyConcurrentCallers_overTenLifetimes_cost_aboutOneTokenRequestPerLifetime() throws Exception {
        f.idp.tokenLifetime(Duration.ofSeconds(60));
        int workers = 8;
        int lifetimes = 10;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        Map<String, Instant> lastAsked = new ConcurrentHashMap<>(); // token -> the latest instant it was served at (or after)
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try (SecretsAuth auth = engine()) {
            auth.headersFor(MLFLOW);
            CountDownLatch started = new CountDownLatch(workers);
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(() -> {
                    started.countDown();
                    while (!stop.get()) {
                        Instant asked = f.clock.instant();
                        String header = auth.headersFor(MLFLOW).get("Authorization");
                        lastAsked.merge(header, asked, (a, b) -> a.isAfter(b) ? a : b);
                        calls.incrementAndGet();
                        Thread.yield();
                    }
                    return null;
                }));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (int step = 0; step < lifetimes * 12; step++) {
                f.scheduler.advance(Duration.ofSeconds(5)); // background refreshes run here, on this thread
                int seen = calls.get();
                while (calls.get() < seen + 2 * workers) { // the callers see each step before the clock moves on
                    Thread.onSpinWait();
                }
            }
            stop.set(true);
            for (Future<?> r : running) {
                r.get(30, TimeUnit.SECONDS); // rethrows any failed headersFor call
            }
        } finally {
            pool.shutdownNow();
        }
        int issued = f.idp.tokensIssued();
        System.out.printf("oauth2 under load: %d headersFor calls by %d threads over %d lifetimes of 60 s; %d token requests%n",
                calls.get(), workers, lifetimes, issued);
        assertThat(calls.get()).isGreaterThan(workers * 10);
        // The engine refreshes in the background at about 3/4 of a lifetime (refresh-ahead 0.75, jittered): one token per
        // 45 s step-aligned cycle here, 14 or 15 for 600 s, never one per call.
        assertThat(issued).isBetween(lifetimes + 3, lifetimes * 3 / 2 + 1);
        lastAsked.forEach((header, asked) -> assertThat(expiryOf(header)).as("served before its exp").isAfter(asked));
    }
}
