package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testkit.mlflow.MlflowServer;
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
    void hostCredsProvider_givesAFreshSnapshot_andRefreshRefetches() {
        props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        apply();
        MlflowHostCredsProvider provider = MlflowSecretsAuth.hostCredsProvider();
        MlflowHostCreds creds = provider.getHostCreds();
        assertThat(creds.getUsername()).isEqualTo("alice");
        assertThat(creds.getPassword()).isEqualTo("pw-123");
        vault.putSecret("secret/mlflow/auth", Map.of("username", "alice", "password", "pw-456"));
        provider.refresh();
        assertThat(provider.getHostCreds().getPassword()).isEqualTo("pw-456");
        try (MlflowClient client = new MlflowClient(provider)) {
            client.createExperiment("with-provider");
        }
        assertThat(mlflow.experimentByName("with-provider")).isPresent();
        assertThat(provider.toString()).doesNotContain("pw-456");
    }

    @Test
    void hostCredsProvider_refusesACustomHeaderItCannotSend() {
        props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        props.put("MLFLOW_AUTH_HEADER_NAME", "X-Api-Key");
        apply();
        assertThatThrownBy(MlflowSecretsAuth::hostCredsProvider).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_AUTH_HEADER_NAME").hasMessageContaining("mlflowClient()");
    }
}
