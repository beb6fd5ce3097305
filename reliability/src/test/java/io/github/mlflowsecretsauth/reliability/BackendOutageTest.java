package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cache.CacheStats;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2, backend outage: Vault goes down (sealed, or stopped) for 3 TTLs while clients call
 * through the proxy. The engine runs on a fake clock and a manual scheduler, so no test waits for a TTL.
 * Counted: calls served from the stale credential inside the grace window, calls refused after it
 * (each with a clear, redacted error), fetches against the backend (no storm), and recovery without
 * a restart. Then the same with a backend that answers in 5 s: once warm, no call waits for it.
 */
class BackendOutageTest {
    private static final int TTL_SEC = 60;
    private static final int GRACE_SEC = 60;
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final int CALLS_PER_STEP = 10;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private VaultServer vault;
    private MlflowServer mlflow;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        mlflow = MlflowServer.builder().start();
    }

    @AfterEach
    void stop() {
        mlflow.close();
        vault.close();
    }

    private Map<String, String> settings() {
        Map<String, String> s = Stack.vaultSettings(vault.address(), vault.rootToken());
        s.put("MLFLOW_VAULT_TTL_SEC", String.valueOf(TTL_SEC));
        s.put("MLFLOW_SECRETS_STALE_IF_ERROR_SEC", String.valueOf(GRACE_SEC));
        return s;
    }

    private HttpResponse<String> call(AuthProxy proxy) throws Exception {
        return http.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/experiments/search?max_results=1")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "backend {0}")
    @ValueSource(strings = {"sealed", "stopped"})
    void outageOfThreeTtls_servesStaleWithinGrace_thenFailsFastAndClearly_thenRecoversWithoutRestart(String how) throws Exception {
        Engines engines = new Engines();
        try (SecretsAuth auth = engines.engine(settings()); AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
            assertThat(call(proxy).statusCode()).isEqualTo(200);
            Instant expiresAt = auth.cacheStatus().expiresAt().orElseThrow();
            Instant graceEnds = expiresAt.plusSeconds(GRACE_SEC);
            Instant outageStart = engines.clock.instant();
            Instant outageEnds = outageStart.plusSeconds(3L * TTL_SEC);
            int port = vault.port();
            int vaultRequestsBefore = vault.requestCount();
            CacheStats stats = auth.cacheStats();
            long loadsBefore = stats.loads();
            if (how.equals("sealed")) {
                vault.setAvailable(false);
            } else {
                vault.close();
            }
            int servedStale = 0;
            int refused = 0;
            int wrong = 0;
            long waitsWhileRefusing = 0;
            List<String> refusals = new ArrayList<>();
            while (engines.clock.instant().isBefore(outageEnds)) {
                engines.scheduler.advance(STEP);
                boolean withinGrace = engines.clock.instant().isBefore(graceEnds);
                long waitsBefore = stats.waits();
                for (int i = 0; i < CALLS_PER_STEP; i++) {
                    HttpResponse<String> r = call(proxy);
                    if (withinGrace && r.statusCode() == 200) {
                        servedStale++;
                    } else if (!withinGrace && r.statusCode() == 502) {
                        refused++;
                        refusals.add(r.body());
                    } else {
                        wrong++;
                    }
                }
                if (!withinGrace) {
                    waitsWhileRefusing += stats.waits() - waitsBefore;
                }
            }
            long outageLoads = stats.loads() - loadsBefore;
            int outageVaultRequests = how.equals("sealed") ? vault.requestCount() - vaultRequestsBefore : -1;

            if (how.equals("sealed")) {
                vault.setAvailable(true);
            } else {
                vault = VaultServer.builder().port(port).start();
            }
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(1)));
            Duration toRecover = Duration.ZERO;
            int status = 0;
            while (status != 200 && toRecover.compareTo(Duration.ofMinutes(5)) < 0) {
                engines.scheduler.advance(STEP);
                toRecover = toRecover.plus(STEP);
                status = call(proxy).statusCode();
            }
            RecordedCall last = mlflow.calls().get(mlflow.calls().size() - 1);

            Results.of("backend-outage/" + how).put("ttlSec", TTL_SEC).put("graceSec", GRACE_SEC)
                    .put("outageSec", 3 * TTL_SEC).put("calls", (servedStale + refused + wrong))
                    .put("servedStaleWithinGrace", servedStale).put("refusedAfterGrace", refused).put("unexpected", wrong)
                    .put("callsThatWaitedWhileRefusing", waitsWhileRefusing).put("fetchesDuringOutage", outageLoads)
                    .put("vaultRequestsDuringOutage", outageVaultRequests)
                    .put("recoveredAfterSec", toRecover.toSeconds()).record();

            assertThat(wrong).as("calls with an unexpected outcome").isZero();
            assertThat(servedStale).as("calls served from the stale credential").isPositive();
            assertThat(refused).as("calls refused after the grace window").isPositive();
            assertThat(refusals).allSatisfy(body -> {
                assertThat(body).contains("CREDENTIAL_UNAVAILABLE", "mlflow-secrets-auth could not get a credential", "Vault");
                assertThat(Canary.in(body)).as("canary in %s", body).isFalse();
            });
            // No storm: the doubling backoff (1 s .. 128 s) bounds the fetches over 180 s, whatever the call rate.
            assertThat(outageLoads).as("fetches during the outage").isLessThanOrEqualTo(12);
            assertThat(waitsWhileRefusing).as("refused calls that waited for a fetch").isLessThanOrEqualTo(outageLoads);
            if (how.equals("sealed")) {
                assertThat(outageVaultRequests).isLessThanOrEqualTo(3 * 12); // each fetch tries at most 1 + 2 retries
            }
            assertThat(status).as("service recovers without a restart").isEqualTo(200);
            assertThat(toRecover).isLessThanOrEqualTo(Duration.ofSeconds(130)); // the backoff's 128 s plateau
            assertThat(last.header("Authorization")).hasValue("Bearer " + Canary.token(1));
        }
    }

    @Test
    void slowBackend_fiveSecondAnswers_noCallWaitsOnceTheCacheIsWarm() throws Exception {
        FakeClock clock = new FakeClock();
        HybridScheduler scheduler = new HybridScheduler(clock);
        try (SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(settings()).build()).clock(clock)
                .scheduler(scheduler).sleeper(d -> { }).random(() -> 0.5).build();
             AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
            assertThat(call(proxy).statusCode()).isEqualTo(200); // warm
            CacheStats stats = auth.cacheStats();
            long waitsBefore = stats.waits();
            long blockingBefore = stats.blockingLoads();
            long completedBefore = stats.completedFetches();
            vault.setLatency(Duration.ofSeconds(5));
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(2)));
            // Past the refresh-ahead point: the tick starts one background fetch, which takes 5 s of real time.
            scheduler.timed.advance(Duration.ofSeconds(TTL_SEC * 8 / 10));
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < 32 * CALLS_PER_STEP; i++) {
                calls.add(http.sendAsync(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/experiments/search")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0;
            for (CompletableFuture<HttpResponse<String>> f : calls) {
                ok += f.get(2, TimeUnit.MINUTES).statusCode() == 200 ? 1 : 0;
            }
            long waited = stats.waits() - waitsBefore;
            long blocking = stats.blockingLoads() - blockingBefore;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // a safety net only
            while (stats.completedFetches() == completedBefore && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.sleep(20);
            }
            vault.setLatency(Duration.ZERO);
            assertThat(call(proxy).statusCode()).isEqualTo(200);
            RecordedCall last = mlflow.calls().get(mlflow.calls().size() - 1);

            Results.of("backend-slow/5s-answers").put("calls", calls.size()).put("succeeded", ok)
                    .put("callsThatWaitedForAFetch", waited).put("blockingFetches", blocking)
                    .put("backgroundFetchesCompleted", stats.completedFetches() - completedBefore).record();

            assertThat(ok).isEqualTo(calls.size());
            assertThat(waited).as("calls that waited for the slow backend").isZero();
            assertThat(blocking).isZero();
            assertThat(stats.completedFetches()).as("the background refresh finished").isGreaterThan(completedBefore);
            assertThat(last.header("Authorization")).hasValue("Bearer " + Canary.token(2));
        }
    }
}
