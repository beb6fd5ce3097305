package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storm of {@code cache/clear} requests to the proxy's endpoint (what {@code mlflow-secrets-auth cache clear} sends),
 * one every 10 ms of the engine's fake clock, each followed by an MLflow call through the proxy, over real sockets to
 * a testkit Vault: at most one Vault read per second, the last clear is not lost (a rotated secret is served after
 * it), and clears during a failure backoff cause no fetch at all.
 */
class CacheClearStormTest {
    private static final Duration STEP = Duration.ofMillis(10);
    private static final String KV = "/v1/" + Stack.KV_READ;
    private static final URI SEARCH = URI.create("/api/2.0/mlflow/experiments/search?max_results=1");
    private static final URI CLEAR = URI.create("/__mlflow-secrets-auth/cache/clear");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeClock clock = new FakeClock();
    private final HybridScheduler scheduler = new HybridScheduler(clock);
    private final ExecutorService loads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "clear-storm-fetch");
        t.setDaemon(true);
        return t;
    });
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
        loads.shutdownNow();
        scheduler.close();
        mlflow.close();
        vault.close();
    }

    private SecretsAuth engine() {
        Map<String, String> s = Stack.vaultSettings(vault.address(), vault.rootToken());
        s.put("MLFLOW_VAULT_TTL_SEC", "3600");
        s.put("MLFLOW_SECRETS_MAX_RETRIES", "0");
        return SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).clock(clock).scheduler(scheduler)
                .loadExecutor(loads).sleeper(d -> { }).random(() -> 0.5).build();
    }

    private int send(URI base, URI path, boolean post) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        return http.send((post ? b.POST(HttpRequest.BodyPublishers.noBody()) : b).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aStormOfClears_costsAtMostOneVaultReadPerSecond_andNoneDuringABackoff() throws Exception {
        int seconds = Scale.current().name().equals("full") ? 120 : 10;
        try (SecretsAuth auth = engine(); AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
            assertThat(send(proxy.uri(), SEARCH, false)).isEqualTo(200);
            int readsBefore = vault.requestCount(KV);
            int clears = 0;
            int calls = 0;
            int failed = 0;
            for (long ms = 0; ms < seconds * 1000L; ms += STEP.toMillis()) {
                clears += send(proxy.uri(), CLEAR, true) == 200 ? 1 : 0;
                calls++;
                failed += send(proxy.uri(), SEARCH, false) == 200 ? 0 : 1;
                scheduler.timed.advance(STEP);
            }
            int stormReads = vault.requestCount(KV) - readsBefore;

            // The last clear of a burst is deferred to the end of its second, not dropped.
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(1)));
            send(proxy.uri(), CLEAR, true);
            send(proxy.uri(), CLEAR, true);
            scheduler.timed.advance(Duration.ofSeconds(1));
            send(proxy.uri(), SEARCH, false);
            boolean lastClearKept = lastCallCarries(Canary.token(1));

            // A failure backoff (Vault sealed) is not reset by clears.
            vault.setAvailable(false);
            send(proxy.uri(), CLEAR, true);
            scheduler.timed.advance(Duration.ofSeconds(1));
            send(proxy.uri(), SEARCH, false);
            int readsAtFailure = vault.requestCount(KV);
            for (int i = 0; i < 50; i++) {
                send(proxy.uri(), CLEAR, true);
                send(proxy.uri(), SEARCH, false);
                scheduler.timed.advance(STEP);
            }
            int backoffReads = vault.requestCount(KV) - readsAtFailure;
            vault.setAvailable(true);

            Results.of("cache-clear-storm").put("fakeSeconds", seconds).put("clearsAccepted", clears).put("calls", calls)
                    .put("failedCalls", failed).put("vaultReadsDuringStorm", stormReads).put("lastClearKept", lastClearKept)
                    .put("clearsDuringBackoff", 50).put("vaultReadsDuringBackoff", backoffReads).record();
            assertThat(clears).isEqualTo(calls);
            assertThat(failed).isZero();
            assertThat(stormReads).as("at most one read per second of clears").isBetween(seconds - 1, seconds + 1);
            assertThat(lastClearKept).as("the deferred clear fetched the rotated secret").isTrue();
            assertThat(backoffReads).as("clears kept the failure backoff").isZero();
        }
    }

    private boolean lastCallCarries(String token) {
        var calls = mlflow.calls();
        return !calls.isEmpty() && calls.get(calls.size() - 1).header("Authorization").equals(Optional.of("Bearer " + token));
    }
}
