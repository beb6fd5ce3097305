package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.MlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The environment-based factories, configured through Java system properties (the same names as the
 * environment variables), against the testkit Vault and MLflow server.
 */
class MlflowSecretsAuthFactoryTest {
    private VaultServer vault;
    private MlflowServer mlflow;
    private final Map<String, String> props = new HashMap<>();

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("username", "alice", "password", "pw-123"));
        mlflow = MlflowServer.builder().start();
        props.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        props.put("VAULT_ADDR", vault.address().toString());
        props.put("VAULT_TOKEN", vault.rootToken());
        props.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        props.put("MLFLOW_VAULT_AUTH_MODE", "basic");
        props.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        props.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
    }

    @AfterEach
    void stop() {
        props.keySet().forEach(System::clearProperty);
        System.clearProperty("MLFLOW_TRACKING_AUTH");
        mlflow.close();
        vault.close();
    }

    private void apply() {
        props.forEach(System::setProperty);
    }

    @Test
    void withoutTrackingAuth_theFactorySaysSo_insteadOfSendingNoCredential() {
        apply();
        assertThatThrownBy(MlflowSecretsAuth::mlflowClient).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_TRACKING_AUTH").hasMessageContaining("mlflow_secrets_auth");
        assertThatThrownBy(MlflowSecretsAuth::hostCredsProvider).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_TRACKING_AUTH");
        assertThat(mlflow.requestCount()).isZero();
    }

    @Test
    void activated_mlflowClientSendsTheCredential() {
        props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        apply();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient()) {
            client.createExperiment("from-env");
        }
        assertThat(mlflow.calls()).anySatisfy(c -> assertThat(c.header("Authorization")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Basic ")));
    }

    @Test
    void nothingConfigured_isAClearError() {
        props.remove("MLFLOW_SECRETS_AUTH_ENABLE");
        props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        apply();
        assertThatThrownBy(MlflowSecretsAuth::mlflowClient).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_SECRETS_AUTH_ENABLE");
    }

    @Test
    void hostCredsProvider_namesTheLoopbackProxyAndItsToken_neverTheCredential_andRefreshRefetches() throws Exception {
        props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        apply();
        MlflowHostCredsProvider provider = MlflowSecretsAuth.hostCredsProvider();
        try (AutoCloseable closing = (AutoCloseable) provider) {
            MlflowHostCreds creds = provider.getHostCreds();
            assertThat(creds.getHost()).startsWith("http://127.0.0.1:").isNotEqualTo(mlflow.uri().toString());
            assertThat(creds.getUsername()).isNull();
            assertThat(creds.getPassword()).isNull();
            assertThat(creds.getToken()).hasSize(43).doesNotContain("pw-123");
            try (MlflowClient client = new MlflowClient(provider)) {
                client.createExperiment("with-provider");
                vault.putSecret("secret/mlflow/auth", Map.of("username", "alice", "password", "pw-456"));
                provider.refresh();
                client.createExperiment("after-refresh");
            }
            assertThat(mlflow.experimentByName("with-provider")).isPresent();
            assertThat(mlflow.calls()).extracting(c -> c.header("Authorization").orElse("")).containsExactly(
                    basic("alice:pw-123"), basic("alice:pw-456"));
            assertThat(provider.toString()).doesNotContain("pw-456").doesNotContain(creds.getToken());
            assertThat(creds.toString()).doesNotContain(creds.getToken());
        }
    }

    private static String basic(String pair) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void hostCredsProvider_sendsACustomHeaderToo_throughItsProxy() throws Exception {
        props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        props.put("MLFLOW_AUTH_HEADER_NAME", "X-Api-Key");
        apply();
        MlflowHostCredsProvider provider = MlflowSecretsAuth.hostCredsProvider();
        try (AutoCloseable closing = (AutoCloseable) provider; MlflowClient client = new MlflowClient(provider)) {
            client.createExperiment("custom-header");
        }
        assertThat(mlflow.calls()).singleElement().satisfies(c -> {
            assertThat(c.header("X-Api-Key")).contains(basic("alice:pw-123"));
            assertThat(c.header("Authorization")).as("the proxy token is never forwarded").isEmpty();
        });
    }
}
