package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.vault.JwtRole;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Vault logins as production runs them, through the proxy: a kubernetes login (a service-account JWT the testkit
 * Vault checks for signature, audience, expiry and bound claims) whose tokens are short (3 min) and not renewable,
 * a 30 s secret TTL and a rotation every 10 minutes, on the engine's and Vault's fake clock; 8 clients call through
 * the proxy at every 5 s step. No call fails, a new login replaces each expiring token, every rotation is served.
 */
class VaultLoginThroughProxyTest {
    private static final int CLIENTS = 8;
    private static final Duration STEP = Duration.ofSeconds(5);
    private static final URI SEARCH = URI.create("/api/2.0/mlflow/experiments/search?max_results=1");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeClock clock = new FakeClock();
    private final HybridScheduler scheduler = new HybridScheduler(clock);
    private final ExecutorService loads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vault-login-fetch");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);

    @AfterEach
    void stop() {
        clients.shutdownNow();
        loads.shutdownNow();
        scheduler.close();
    }

    @Test
    void shortNonRenewableLoginTokens_andRotations_failNoCallThroughTheProxy(@TempDir Path dir) throws Exception {
        int minutes = Scale.current().name().equals("full") ? 120 : 20;
        TokenKey issuer = TokenKey.generate("k8s");
        try (VaultServer vault = VaultServer.builder().clock(clock).start(); MlflowServer mlflow = MlflowServer.builder().start()) {
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
            vault.addKubernetesRole("kubernetes", issuer, JwtRole.kubernetes("mlflow", List.of("sa"), List.of("ml"), List.of(),
                    TokenSpec.builder().ttl(Duration.ofMinutes(3)).renewable(false).build()));
            Path sa = dir.resolve("token");
            Files.writeString(sa, issuer.sign("k8s", "system:serviceaccount:ml:sa", "vault", clock.instant(),
                    clock.instant().plus(Duration.ofDays(1)), Map.of()));
            Map<String, String> s = Stack.vaultSettings(vault.address(), "unused");
            s.remove("VAULT_TOKEN");
            s.putAll(Map.of("MLFLOW_VAULT_TTL_SEC", "30", "VAULT_AUTH_METHOD", "kubernetes", "VAULT_AUTH_ROLE", "mlflow",
                    "VAULT_KUBERNETES_TOKEN_PATH", sa.toString()));
            try (SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).clock(clock)
                    .scheduler(scheduler).loadExecutor(loads).sleeper(d -> { }).random(() -> 0.5).build();
                 AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
                int calls = 0;
                int failed = 0;
                int rotations = 0;
                List<String> firstFailures = new ArrayList<>();
                for (long t = 0; t < minutes * 60L; t += STEP.toSeconds()) {
                    if (t > 0 && t % 600 == 0) {
                        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(++rotations)));
                    }
                    List<Future<HttpResponse<String>>> burst = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        burst.add(clients.submit(() -> http.send(HttpRequest.newBuilder(proxy.uri().resolve(SEARCH))
                                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())));
                    }
                    for (Future<HttpResponse<String>> f : burst) {
                        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
                        calls++;
                        if (r.statusCode() != 200) {
                            failed++;
                            if (firstFailures.size() < 3) {
                                firstFailures.add("t=" + t + " s: " + r.statusCode() + " " + r.body());
                            }
                        }
                    }
                    scheduler.timed.advance(STEP);
                }
                scheduler.timed.advance(Duration.ofSeconds(35)); // past the last TTL: the newest secret is in use
                http.send(HttpRequest.newBuilder(proxy.uri().resolve(SEARCH)).build(), HttpResponse.BodyHandlers.discarding());
                var last = mlflow.calls().get(mlflow.calls().size() - 1).header("Authorization");
                int logins = vault.requestCount("/v1/auth/kubernetes/login");
                Results.of("vault-login/kubernetes-through-proxy").put("fakeMinutes", minutes).put("clients", CLIENTS)
                        .put("calls", calls).put("failed", failed).put("rotations", rotations).put("logins", logins)
                        .put("loginTokenTtlMin", 3).put("newestSecretServed", last.equals(Optional.of("Bearer " + Canary.token(rotations))))
                        .record();
                assertThat(failed).as(String.join("; ", firstFailures)).isZero();
                assertThat(logins).as("a new login before each 3-minute token expired").isGreaterThanOrEqualTo(minutes / 3);
                assertThat(last).contains("Bearer " + Canary.token(rotations));
            }
        }
    }
}
