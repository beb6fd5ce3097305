package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.error.ProviderChainException;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine end to end against the testkit Vault: caching, rotation, fallback, allowlist. */
class SecretsAuthTest {
    private static final URI MLFLOW = URI.create("http://mlflow.company.com/api/2.0/mlflow/runs/create");
    private static final String KV_READ = "/v1/secret/data/mlflow/auth";

    private final Engines engines = new Engines();
    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(engines.clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v1"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private Map<String, String> vaultSettings() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_VAULT_TTL_SEC", "60");
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com,nginx:80");
        return s;
    }

    @Test
    void enabledButHalfConfiguredProvider_theErrorNamesWhatIsMissing() {
        try (SecretsAuth half = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_USERNAME", "u"))) {
            assertThatThrownBy(half::currentSnapshot)
                    .isInstanceOf(io.github.mlflowsecretsauth.error.ConfigurationException.class)
                    .hasMessageContaining("no secret provider is enabled and configured")
                    .hasMessageContaining("env is enabled but not configured: MLFLOW_TRACKING_TOKEN");
        }
    }

    @Test
    void expiredSecret_twoHundredThreads_causeExactlyOneBackendFetch() throws Exception {
        try (SecretsAuth auth = engines.engine(vaultSettings())) {
            auth.headersFor(MLFLOW);
            vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v2"));
            engines.clock.advance(Duration.ofSeconds(61)); // expired; background refresh not run
            vault.resetCounts();
            int threads = 200;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Map<String, String>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return auth.headersFor(MLFLOW);
                }));
            }
            ready.await();
            go.countDown();
            for (Future<Map<String, String>> f : results) {
                assertThat(f.get(30, TimeUnit.SECONDS)).containsEntry("Authorization", "Bearer token-v2");
            }
            pool.shutdown();
            assertThat(vault.requestCount(KV_READ)).isEqualTo(1);
        }
    }

    @Test
    void warmCache_noRequestWaitsOnTheBackend_acrossWholeTtlCycles() {
        try (SecretsAuth auth = engines.engine(vaultSettings())) {
            auth.headersFor(MLFLOW);
            long waits = auth.cacheStats().waits();
            for (int second = 0; second < 5 * 60; second++) {
                engines.scheduler.advance(Duration.ofSeconds(1));
                assertThat(auth.headersFor(MLFLOW)).containsKey("Authorization");
            }
            assertThat(auth.cacheStats().waits()).isEqualTo(waits);
            assertThat(vault.requestCount(KV_READ)).isBetween(5, 8);
        }
    }

    @Test
    void rotatedSecret_isPickedUpAtTheNextRefresh() {
        try (SecretsAuth auth = engines.engine(vaultSettings())) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v1");
            vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v2"));
            engines.scheduler.advance(Duration.ofSeconds(60));
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v2");
        }
    }

    @Test
    void rejectedCredential_isDroppedOnce_andTheRotatedOneFetched() {
        try (SecretsAuth auth = engines.engine(vaultSettings())) {
            HeaderSnapshot used = auth.snapshotFor(MLFLOW).orElseThrow();
            vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v2"));
            assertThat(auth.reportRejected(used)).isEqualTo(SecretsAuth.RejectionOutcome.DROPPED);
            assertThat(auth.reportRejected(used)).isNotEqualTo(SecretsAuth.RejectionOutcome.DROPPED); // a second 401 for the same credential
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v2");
            assertThat(vault.requestCount(KV_READ)).isEqualTo(2);
        }
    }

    @Test
    void reportRejected_saysWhatItDid_droppedAlreadyFresh_orBackingOffWhenTheBackendHandsTheSameOneBack() {
        try (SecretsAuth auth = engines.engine(vaultSettings())) {
            HeaderSnapshot first = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(auth.reportRejected(first)).isEqualTo(SecretsAuth.RejectionOutcome.DROPPED);
            assertThat(auth.reportRejected(first)).as("dropped, a fetch pending").isEqualTo(SecretsAuth.RejectionOutcome.ALREADY_FRESH);
            HeaderSnapshot same = auth.snapshotFor(MLFLOW).orElseThrow(); // the backend was not rotated: the same value again
            assertThat(same.headerValue()).isEqualTo(first.headerValue());
            assertThat(auth.reportRejected(same)).isEqualTo(SecretsAuth.RejectionOutcome.BACKING_OFF);
            assertThat(auth.reportRejected(first)).as("an older snapshot than the held one").isEqualTo(SecretsAuth.RejectionOutcome.ALREADY_FRESH);
        }
    }

    @Test
    void hostOutsideAllowlist_getsNoCredential_andNoFetchHappens() {
        try (SecretsAuth auth = engines.engine(vaultSettings())) {
            assertThat(auth.headersFor(URI.create("https://evil.example.com/api"))).isEmpty();
            assertThat(auth.headersFor(URI.create("http://mlflow.company.com@evil.example.com/"))).isEmpty();
            assertThat(vault.requestCount(KV_READ)).isZero();
            assertThat(auth.headersFor(URI.create("http://nginx/api/2.0/mlflow/runs/get"))).isNotEmpty();
            assertThat(auth.headersFor(URI.create("http://nginx:80/"))).isNotEmpty();
            assertThat(auth.headersFor(URI.create("http://nginx:8080/"))).isEmpty();
        }
    }

    @Test
    void vaultDown_fallsBackToTheNextConfiguredProvider(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "file-token\n");
        Map<String, String> s = vaultSettings();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault, FILE");
        s.put("MLFLOW_FILE_SECRET_PATH", file.toString());
        vault.setAvailable(false);
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.chain()).extracting(ProviderBinding::name).containsExactly("vault", "file");
            assertThat(auth.snapshotFor(MLFLOW).orElseThrow().provider()).isEqualTo("file");
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer file-token");
        }
    }

    @Test
    void everyProviderFailing_reportsEachReason(@TempDir Path dir) {
        Map<String, String> s = vaultSettings();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault,file");
        s.put("MLFLOW_FILE_SECRET_PATH", dir.resolve("missing").toString());
        vault.setAvailable(false);
        try (SecretsAuth auth = engines.engine(s)) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(ProviderChainException.class)
                    .hasMessageContaining("vault: ").hasMessageContaining("file: ").hasMessageContaining("does not exist");
        }
    }

    @Test
    void perProviderToggle_enablesAndDisables() {
        Map<String, String> s = vaultSettings();
        s.remove("MLFLOW_SECRETS_AUTH_ENABLE");
        s.put("MLFLOW_SECRETS_AUTH_ENABLE_VAULT", "true");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.isConfigured()).isTrue();
        }
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("MLFLOW_SECRETS_AUTH_ENABLE_VAULT", "false");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.isConfigured()).isFalse();
            assertThat(auth.headersFor(MLFLOW)).isEmpty();
        }
    }

    @Test
    void enabledProviderWhoseModuleIsMissing_isReportedNotInstalled() {
        Map<String, String> s = vaultSettings();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "aws-secrets-manager,vault");
        try (SecretsAuth auth = engines.engine(s)) {
            ProviderStatus aws = auth.providers().stream().filter(p -> p.name().equals("aws-secrets-manager")).findFirst().orElseThrow();
            assertThat(aws.enabled()).isTrue();
            assertThat(aws.installed()).isFalse();
            assertThat(aws.module()).isEqualTo("mlflow-secrets-auth-aws");
            assertThat(auth.chain()).extracting(ProviderBinding::name).containsExactly("vault");
        }
    }

    @Test
    void nothingEnabled_meansNoHeaders_andNoError() {
        try (SecretsAuth auth = engines.engine(Map.of())) {
            assertThat(auth.isConfigured()).isFalse();
            assertThat(auth.headersFor(MLFLOW)).isEmpty();
        }
    }

    @Test
    void toString_ofEngineAndSnapshot_neverShowsTheSecret() {
        vault.putSecret("secret/mlflow/auth", Map.of("token", "CANARY-abcdefghijklmnopqrstuvwxyz"));
        try (SecretsAuth auth = engines.engine(vaultSettings())) {
            HeaderSnapshot s = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(s.toString()).doesNotContain("CANARY-abcdefghijklmnopqrstuvwxyz").contains("CANA********wxyz");
            assertThat(auth.toString()).doesNotContain("CANARY");
            assertThat(auth.providers().toString()).doesNotContain("CANARY");
        }
    }
}
