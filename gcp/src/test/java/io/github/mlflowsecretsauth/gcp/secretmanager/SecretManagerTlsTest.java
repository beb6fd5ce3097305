package io.github.mlflowsecretsauth.gcp.secretmanager;

import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.MLFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.gcp.GcpSecretManagerServer;
import io.github.mlflowsecretsauth.testkit.gcp.ServiceAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private Secret Manager endpoint over HTTPS with a certificate from a private CA: trusted through
 * {@code MLFLOW_GCP_CA_BUNDLE}, refused without it (a non-transient TLS failure naming the setting),
 * never through a global trust-all.
 */
class SecretManagerTlsTest {
    private final Engines engines = new Engines();
    private GcpSecretManagerServer gcp;
    private Map<String, String> settings;
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        gcp = GcpSecretManagerServer.builder().tls(true).start();
        ServiceAccount reader = gcp.createServiceAccount("mlflow-reader");
        gcp.addVersion("mlflow-auth", "tls-token");
        settings = new HashMap<>();
        settings.put("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-secret-manager");
        settings.put("MLFLOW_GCP_SECRET_NAME", "projects/mlflow-prod/secrets/mlflow-auth");
        settings.put("GOOGLE_APPLICATION_CREDENTIALS", gcp.writeKeyFile(reader, dir.resolve("key.json")).toString());
        settings.put("CLOUDSDK_CONFIG", Files.createDirectories(dir.resolve("gcloud")).toString());
        settings.put("MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", gcp.httpsEndpoint().toString());
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    @Test
    void httpsEndpoint_isTrustedThroughTheCaBundle() {
        settings.put("MLFLOW_GCP_CA_BUNDLE", gcp.certificatePem().toString());
        try (SecretsAuth auth = engines.engine(settings)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer tls-token");
            assertThat(auth.chain().get(0).describe()).containsEntry("ca bundle", gcp.certificatePem().toString())
                    .containsEntry("endpoint", gcp.httpsEndpoint() + " (MLFLOW_GCP_SECRET_MANAGER_ENDPOINT)");
        }
    }

    @Test
    void withoutTheCaBundle_theTlsFailureNamesTheSetting_andIsNotRetried() {
        try (SecretsAuth auth = engines.engine(settings)) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(BackendUnavailableException.class)
                    .hasMessageContaining("TLS with Secret Manager at " + gcp.httpsEndpoint()).hasMessageContaining("MLFLOW_GCP_CA_BUNDLE")
                    .satisfies(e -> assertThat(((BackendUnavailableException) e).isTransient()).isFalse());
        }
        assertThat(engines.sleeps).isEmpty();
        assertThat(gcp.accessCount()).isZero();
    }
}
