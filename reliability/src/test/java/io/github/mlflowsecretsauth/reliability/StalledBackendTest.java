package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vault stalls (answers its headers and half the body, then nothing; or never answers) while 50 clients call
 * through the proxy. Warm cache: for 200 s of the engine's fake clock, through refresh-ahead, expiry and into
 * the grace window, no call fails and none waits for the backend. Cold cache: every caller gets a clear error
 * within the fetch deadline (real time: the deadline is the thing measured). Then Vault answers again and the
 * engine recovers without a restart.
 */
class StalledBackendTest {
    private static final int CLIENTS = 50;
    private static final int TTL_SEC = 60;
    private static final int GRACE_SEC = 300;
    private static final int FETCH_TIMEOUT_SEC = 2;
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final String KV = "/v1/" + Stack.KV_READ;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeClock clock = new FakeClock();
    private final HybridScheduler scheduler = new HybridScheduler(clock);
    private final ExecutorService loads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stalled-backend-fetch");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
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
        clients.shutdownNow();
        vault.stalls().clear();
        vault.stalls().release();
        loads.shutdownNow();
        scheduler.close();
        mlflow.close();
        vault.close();
    }

    private SecretsAuth engine() {
        Map<String, String> s = Stack.vaultSettings(vault.address(), vault.rootToken());
        s.put("MLFLOW_VAULT_TTL_SEC", String.valueOf(TTL_SEC));
        s.put("MLFLOW_SECRETS_STALE_IF_ERROR_SEC", String.valueOf(GRACE_SEC));
        s.put("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", String.valueOf(FETCH_TIMEOUT_SEC));
        return SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).clock(clock).scheduler(scheduler)
                .loadExecutor(loads).sleeper(d -> { }).random(() -> 0.5).build();
    }

    /** One call per client, all at once; returns the statuses and records the slowest call. */
    private List<HttpResponse<String>> burst(AuthProxy proxy, AtomicLong slowestMillis) throws Exception {
        List<Future<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            calls.add(clients.submit(() -> {
                long started = System.nanoTime();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(proxy.uri().resolve(
                        "/api/2.0/mlflow/experiments/search?max_results=1")).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                slowestMillis.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
                return r;
            }));
        }
        List<HttpResponse<String>> out = new ArrayList<>();
        for (Future<HttpResponse<String>> c : calls) {
            out.add(c.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StallMode.class)
    void warmCache_vaultStallsFor200s_noCallFails_noneWaits(StallMode mode) throws Exception {
        try (SecretsAuth auth = engine(); AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
            assertThat(burst(proxy, new AtomicLong())).allMatch(r -> r.statusCode() == 200);
            long waitsBefore = auth.cacheStats().waits();
            vault.stalls().stall(mode, KV);
            AtomicLong slowest = new AtomicLong();
            int calls = 0;
            int failed = 0;
            for (Duration t = Duration.ZERO; t.compareTo(Duration.ofSeconds(200)) < 0; t = t.plus(STEP)) {
                scheduler.timed.advance(STEP);
                for (HttpResponse<String> r : burst(proxy, slowest)) {
                    calls++;
                    failed += r.statusCode() == 200 ? 0 : 1;
                }
            }
            long waits = auth.cacheStats().waits() - waitsBefore;
            int stalled = vault.stalls().stalledCount();

            vault.stalls().clear();
            vault.stalls().release();
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(1)));
            int recoveredAfterSec = 0;
            while (recoveredAfterSec < 600 && !lastCallCarries(Canary.token(1))) {
                scheduler.timed.advance(STEP);
                recoveredAfterSec += (int) STEP.toSeconds();
                burst(proxy, new AtomicLong());
            }
            Results.of("stalled-backend/warm/" + mode).put("clients", CLIENTS).put("stallSec", 200).put("calls", calls)
                    .put("failed", failed).put("callsThatWaited", waits).put("slowestCallMs", slowest.get())
                    .put("fetchDeadlineSec", FETCH_TIMEOUT_SEC).put("stalledVaultRequests", stalled)
                    .put("abandonedOrFailedFetches", auth.cacheStats().failures())
                    .put("recoveredAfterSec", recoveredAfterSec).record();
            assertThat(failed).isZero();
            assertThat(waits).as("no call waited for the stalled backend").isZero();
            assertThat(slowest.get()).isLessThan(FETCH_TIMEOUT_SEC * 1000L);
            assertThat(stalled).as("the backend was asked, and stalled").isPositive();
            assertThat(lastCallCarries(Canary.token(1))).as("recovered without a restart").isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(StallMode.class)
    void coldCache_everyCallerGetsAClearErrorWithinTheDeadline(StallMode mode) throws Exception {
        vault.stalls().stall(mode, KV);
        try (SecretsAuth auth = engine(); AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
            AtomicLong slowest = new AtomicLong();
            List<HttpResponse<String>> answers = burst(proxy, slowest);
            AtomicInteger clear = new AtomicInteger();
            answers.forEach(r -> {
                if (r.statusCode() == 502 && r.body().contains("CREDENTIAL_UNAVAILABLE")
                        && r.body().contains("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC") && !Canary.in(r.body())) {
                    clear.incrementAndGet();
                }
            });
            int stalled = vault.stalls().stalledCount();
            Results.of("stalled-backend/cold/" + mode).put("clients", CLIENTS).put("clearErrors", clear.get())
                    .put("slowestCallMs", slowest.get()).put("fetchDeadlineSec", FETCH_TIMEOUT_SEC)
                    .put("stalledVaultRequests", stalled).record();
            assertThat(clear.get()).as(answers.get(0).body()).isEqualTo(CLIENTS);
            assertThat(slowest.get()).as("no caller waited past the deadline (+1 s for 50 clients on 2 cores)")
                    .isLessThan(FETCH_TIMEOUT_SEC * 1000L + 1000);
            assertThat(stalled).as("one fetch for all callers, not one per caller").isLessThanOrEqualTo(3);

            vault.stalls().clear();
            scheduler.timed.advance(Duration.ofSeconds(5)); // past the failure backoff
            assertThat(burst(proxy, new AtomicLong())).allMatch(r -> r.statusCode() == 200);
        }
    }

    private boolean lastCallCarries(String token) {
        var calls = mlflow.calls();
        return !calls.isEmpty() && calls.get(calls.size() - 1).header("Authorization").equals(java.util.Optional.of("Bearer " + token));
    }
}
