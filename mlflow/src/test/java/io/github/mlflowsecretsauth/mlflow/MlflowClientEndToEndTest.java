package io.github.mlflowsecretsauth.mlflow;

import com.sun.net.httpserver.HttpServer;
import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RunSnapshot;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The official MLflow Java client, through MlflowSecretsAuth, against a real nginx that enforces
 * Basic or Bearer in front of the testkit MLflow server, with credentials from the testkit Vault.
 */
class MlflowClientEndToEndTest {
    private static final String USER = "mlflow-user";
    private static final String PASSWORD = "secure-password-123";
    private static final String TOKEN = "mlflow-api-key-demo-567890abcdef";

    private final Engines engines = new Engines();
    private VaultServer vault;
    private MlflowServer mlflow;
    private Nginx nginx;
    private SecretsAuth engine;

    @BeforeAll
    static void nginxPresent() {
        Nginx.requireAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        mlflow = MlflowServer.builder().start();
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (nginx != null) {
            nginx.close();
        }
        mlflow.close();
        vault.close();
    }

    private SecretsAuth engine(String mode) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_VAULT_AUTH_MODE", mode);
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        engine = engines.engine(s);
        return engine;
    }

    private void basicStack() {
        vault.putSecret("secret/mlflow/auth", Map.of("username", USER, "password", PASSWORD));
        nginx = Nginx.builder().upstream(mlflow.uri()).basicAuth(USER, PASSWORD).start();
        engine("basic");
    }

    private void bearerStack() {
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        nginx = Nginx.builder().upstream(mlflow.uri()).bearerTokens(TOKEN).start();
        engine("bearer");
    }

    private static String logTrainingRun(MlflowClient client, String experiment) {
        String experimentId = client.createExperiment(experiment);
        RunInfo run = client.createRun(experimentId);
        String runId = run.getRunId();
        client.logParam(runId, "alpha", "0.1");
        client.logMetric(runId, "rmse", 0.89);
        client.logMetric(runId, "rmse", 0.71, System.currentTimeMillis(), 1);
        client.setTag(runId, "team", "ml-platform");
        client.logBatch(runId, List.of(Metric.newBuilder().setKey("mae").setValue(0.5).setTimestamp(1).setStep(0).build()),
                List.of(Param.newBuilder().setKey("l1_ratio").setValue("0.5").build()),
                List.of(RunTag.newBuilder().setKey("stage").setValue("dev").build()));
        client.setTerminated(runId);
        return runId;
    }

    private void assertRecordedOnce(String runId) {
        RunSnapshot run = mlflow.run(runId).orElseThrow();
        assertThat(run.params()).containsEntry("alpha", "0.1").containsEntry("l1_ratio", "0.5");
        assertThat(run.paramWrites()).containsEntry("alpha", 1).containsEntry("l1_ratio", 1);
        assertThat(run.tags()).containsEntry("team", "ml-platform").containsEntry("stage", "dev");
        assertThat(run.metricHistory("rmse")).hasSize(2);
        assertThat(run.metricHistory("mae")).hasSize(1);
        assertThat(run.status()).isEqualTo("FINISHED");
    }

    @Test
    void basicAuth_officialClientLogsExperimentRunParamsMetricsAndTags() {
        basicStack();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            String runId = logTrainingRun(client, "basic-demo");
            assertRecordedOnce(runId);
            assertThat(client.getExperimentByName("basic-demo")).isPresent();
        }
    }

    @Test
    void bearerAuth_officialClientLogsExperimentRunParamsMetricsAndTags() {
        bearerStack();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            assertRecordedOnce(logTrainingRun(client, "bearer-demo"));
        }
    }

    @Test
    void withoutTheProject_theSameCallIsRejected() {
        bearerStack();
        try (MlflowClient plain = new MlflowClient(nginx.uri().toString())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> plain.createExperiment("nope"))
                    .hasMessageContaining("401");
        }
        assertThat(mlflow.experimentByName("nope")).isEmpty();
    }

    @Test
    void wrongSecret_theClientRaisesTheSeedMessage_afterOneRefresh() {
        vault.putSecret("secret/mlflow/auth", Map.of("token", "not-the-api-key-0000000000000000"));
        nginx = Nginx.builder().upstream(mlflow.uri()).bearerTokens(TOKEN).start();
        engine("bearer");
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.createExperiment("denied"))
                    .hasMessageContaining("MLflow authentication error (HTTP 401): Invalid credentials")
                    .hasMessageNotContaining("not-the-api-key");
        }
        assertThat(mlflow.experimentByName("denied")).isEmpty();
    }

    @Test
    void validate_failsFastAtConstruction_withTheSeedMessage() {
        vault.putSecret("secret/mlflow/auth", Map.of("username", USER, "password", "wrong-password"));
        nginx = Nginx.builder().upstream(mlflow.uri()).basicAuth(USER, PASSWORD).start();
        engine("basic");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString(), true))
                .isInstanceOf(io.github.mlflowsecretsauth.error.MlflowAuthenticationException.class)
                .hasMessageStartingWith("MLflow authentication error (HTTP 401): Invalid credentials")
                .hasMessageNotContaining("wrong-password");
        vault.putSecret("secret/mlflow/auth", Map.of("username", USER, "password", PASSWORD));
        engine.clearCache();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString(), true)) {
            assertThat(client.getExperiment("0").getName()).isEqualTo("Default");
        }
    }

    @Test
    void validate_unreachableServer_namesTheHost() {
        basicStack();
        String uri = nginx.uri().toString();
        nginx.close();
        nginx = null;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MlflowSecretsAuth.mlflowClient(engine, uri, true))
                .isInstanceOf(io.github.mlflowsecretsauth.error.BackendUnavailableException.class)
                .hasMessageContaining(java.net.URI.create(uri).getRawAuthority());
    }

    @Test
    void rotatedSecret_oldOneRejectedByNginx_isPickedUpWithoutAFailedCall() {
        bearerStack();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            String experimentId = client.createExperiment("rotation");
            String runId = client.createRun(experimentId).getRunId();
            for (int i = 0; i < 5; i++) {
                String next = "rotated-token-" + i + "-abcdefghijklmnop";
                vault.putSecret("secret/mlflow/auth", Map.of("token", next));
                nginx.setBearerTokens(next); // no grace overlap: the old token is rejected from now on
                client.logMetric(runId, "loss", 1.0 / (i + 1), System.currentTimeMillis(), i);
            }
            assertThat(mlflow.run(runId).orElseThrow().metricHistory("loss")).hasSize(5);
            assertThat(((AuthenticatedMlflowClient) client).proxy().metrics().authReplays()).isEqualTo(5);
        }
    }

    @Test
    void crossHostRedirect_neverCarriesTheCredential() throws Exception {
        basicStack();
        List<String> authorizationSeenElsewhere = new CopyOnWriteArrayList<>();
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        elsewhere.createContext("/", ex -> {
            authorizationSeenElsewhere.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"experiment\":{\"experiment_id\":\"0\",\"name\":\"Default\"}}".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        elsewhere.start();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            mlflow.redirectNext(3, "http://localhost:" + elsewhere.getAddress().getPort() // the client tries 3 times
                    + "/api/2.0/mlflow/experiments/get?experiment_id=0", 302);
            // The official client would follow it with its Authorization (now the proxy's token): the proxy refuses it.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getExperiment("0"))
                    .hasMessageContaining("REDIRECT_REFUSED").hasMessageContaining(":" + elsewhere.getAddress().getPort());
            assertThat(authorizationSeenElsewhere).isEmpty();
        } finally {
            elsewhere.stop(0);
        }
    }

    @Test
    void twoThrottled429Responses_doNotHangTheClient() {
        bearerStack();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString())) {
            mlflow.respondNext(2, 429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}",
                    Map.of("Retry-After", "1"));
            String id = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> client.createExperiment("throttled"));
            assertThat(mlflow.experimentByName("throttled")).isPresent();
            assertThat(id).isNotBlank();
        }
    }
}
