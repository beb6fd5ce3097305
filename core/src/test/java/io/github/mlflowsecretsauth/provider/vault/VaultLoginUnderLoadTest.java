package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.vault.JwtRole;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through the engine, with callers on 4 threads: a kubernetes login's short, non-renewable tokens expire and are
 * replaced every few minutes and the secret rotates; no call fails. (A token revoked behind the engine's back is
 * {@link VaultTokenLifecycleTest}'s: with the test's clock, a fetch a caller waits for must not see time jump.)
 */
class VaultLoginUnderLoadTest {
    private static final URI MLFLOW = URI.create("http://mlflow.company.com/api/2.0/mlflow/runs/get");

    @Test
    void expiringLoginTokens_andARotation_underConcurrentCallers_failNoCall(@TempDir Path dir) throws Exception {
        Engines engines = new Engines();
        TokenKey issuer = TokenKey.generate("k8s");
        try (VaultServer vault = VaultServer.builder().clock(engines.clock).start()) {
            vault.putSecret("secret/mlflow/auth", Map.of("token", "mlflow-token-1"));
            vault.addKubernetesRole("kubernetes", issuer, JwtRole.kubernetes("mlflow", List.of("sa"), List.of("ml"), List.of(),
                    TokenSpec.builder().ttl(Duration.ofMinutes(3)).renewable(false).build()));
            Path sa = dir.resolve("token");
            Files.writeString(sa, issuer.sign("k8s", "system:serviceaccount:ml:sa", "vault", engines.clock.instant(),
                    engines.clock.instant().plus(Duration.ofDays(1)), Map.of()));
            Map<String, String> s = Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.address().toString(),
                    "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth", "MLFLOW_VAULT_TTL_SEC", "30",
                    "VAULT_AUTH_METHOD", "kubernetes", "VAULT_AUTH_ROLE", "mlflow", "VAULT_KUBERNETES_TOKEN_PATH", sa.toString());
            try (SecretsAuth auth = engines.engine(s)) {
                auth.headersFor(MLFLOW);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger calls = new AtomicInteger();
                ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
                CountDownLatch started = new CountDownLatch(4);
                List<Thread> threads = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Thread t = new Thread(() -> {
                        started.countDown();
                        while (!stop.get()) {
                            try {
                                assertThat(auth.headersFor(MLFLOW).get("Authorization")).startsWith("Bearer mlflow-token-");
                                calls.incrementAndGet();
                            } catch (Throwable e) {
                                failures.add(e);
                            }
                        }
                    });
                    t.start();
                    threads.add(t);
                }
                started.await();
                // 20 minutes in 5-second steps, each shorter than the fetch deadline, which the fake clock measures too
                for (int step = 0; step < 240; step++) {
                    engines.scheduler.advance(Duration.ofSeconds(5));
                    if (step == 80) {
                        vault.putSecret("secret/mlflow/auth", Map.of("token", "mlflow-token-2"));
                    }
                }
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                assertThat(failures).isEmpty();
                assertThat(calls.get()).isGreaterThan(500);
                assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer mlflow-token-2");
                assertThat(vault.requestCount("/v1/auth/kubernetes/login")).isGreaterThanOrEqualTo(10);
                // Not asserted: cacheStats().failures(). The engine's fetch deadline runs on the test's clock, which this
                // thread moves while a caller's fetch may be on the wire, so a fetch can be abandoned here that never
                // would be in real time; the property that matters, that no call fails, is asserted above.
            }
        }
    }
}
