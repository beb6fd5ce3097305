package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MLFLOW_SECRETS_AUTH_OPTIONAL and _MOCK, configured through system properties. */
class DegradedModesTest {
    private VaultServer vault;
    private final Map<String, String> props = new HashMap<>();

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "degraded-token"));
        props.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        props.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        props.put("VAULT_ADDR", vault.address().toString());
        props.put("VAULT_TOKEN", vault.rootToken());
        props.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        props.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
    }

    @AfterEach
    void stop() {
        props.keySet().forEach(System::clearProperty);
        vault.close();
    }

    private void apply() {
        props.forEach(System::setProperty);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String logFullRun(MlflowClient client) {
        String exp = client.createExperiment("offline-job");
        RunInfo run = client.createRun(exp);
        client.logParam(run.getRunId(), "alpha", "0.3");
        client.logMetric(run.getRunId(), "loss", 0.25);
        client.setTag(run.getRunId(), "k", "v");
        client.setTerminated(run.getRunId());
        return run.getRunId();
    }

    @Test
    void optional_serverDown_theJobLogsAFullRunToTheEmbeddedStore() throws Exception {
        props.put("MLFLOW_SECRETS_AUTH_OPTIONAL", "true");
        props.put("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + closedPort());
        apply();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient()) {
            assertThat(client).isInstanceOf(EmbeddedTracking.EmbeddedMlflowClient.class);
            String runId = logFullRun(client);
            var run = ((EmbeddedTracking.EmbeddedMlflowClient) client).store().run(runId).orElseThrow();
            assertThat(run.params()).containsEntry("alpha", "0.3");
            assertThat(run.status()).isEqualTo("FINISHED");
        }
    }

    @Test
    void optional_credentialsUnavailable_fallsBackToo() throws Exception {
        try (MlflowServer mlflow = MlflowServer.builder().start()) {
            props.put("MLFLOW_SECRETS_AUTH_OPTIONAL", "true");
            props.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
            vault.setAvailable(false);
            apply();
            try (MlflowClient client = MlflowSecretsAuth.mlflowClient()) {
                assertThat(client).isInstanceOf(EmbeddedTracking.EmbeddedMlflowClient.class);
                logFullRun(client);
            }
            assertThat(mlflow.runs("0", "1")).isEmpty();
        }
    }

    @Test
    void optional_serverUp_usesTheRealServer() throws Exception {
        try (MlflowServer mlflow = MlflowServer.builder().start()) {
            props.put("MLFLOW_SECRETS_AUTH_OPTIONAL", "true");
            props.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
            apply();
            try (MlflowClient client = MlflowSecretsAuth.mlflowClient()) {
                assertThat(client).isInstanceOf(AuthenticatedMlflowClient.class);
                logFullRun(client);
            }
            assertThat(mlflow.experimentByName("offline-job")).isPresent();
        }
    }

    @Test
    void optional_doesNotHideAConfigurationMistake() {
        props.put("MLFLOW_SECRETS_AUTH_OPTIONAL", "true");
        props.put("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000");
        props.put("MLFLOW_VAULT_TTL_SEC", "zero");
        apply();
        assertThatThrownBy(MlflowSecretsAuth::mlflowClient).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_VAULT_TTL_SEC");
    }

    @Test
    void mock_makesNoConnectionAttempt() throws Exception {
        try (MlflowServer mlflow = MlflowServer.builder().start()) {
            props.put("MLFLOW_SECRETS_AUTH_MOCK", "true");
            props.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
            apply();
            vault.resetCounts();
            try (MlflowClient client = MlflowSecretsAuth.mlflowClient()) {
                logFullRun(client);
            }
            assertThat(mlflow.requestCount()).isZero();
            assertThat(vault.requestCount()).isZero();
        }
    }
}
