package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The library's embedded proxy serves only its own client (a per-run token), and neither the official client's
 * redirects nor a neighbour on the same machine ever get the credential. Testkit Vault and MLflow servers, real
 * sockets, the official MLflow Java client.
 */
class EmbeddedProxyTokenTest {
    private static final String CREDENTIAL = "real-mlflow-credential-7f3a9c";

    private final Engines engines = new Engines();
    private final HttpClient neighbour = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private VaultServer vault;
    private MlflowServer mlflow;
    private MlflowServer elsewhere;
    private SecretsAuth engine;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", CREDENTIAL));
        mlflow = MlflowServer.builder().start();
        elsewhere = MlflowServer.builder().start();
        engine = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.address().toString(),
                "VAULT_TOKEN", vault.rootToken(), "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        engine.close();
        elsewhere.close();
        mlflow.close();
        vault.close();
    }

    private HttpResponse<String> neighbourGet(URI proxy, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(proxy.resolve(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return neighbour.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void mlflowClient_usesItsProxyToken_andANeighbourWithoutItGets401AndNoCredential() throws Exception {
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString(), true)) { // validate: a probe
            client.createExperiment("mine");
            URI proxy = ((AuthenticatedMlflowClient) client).proxy().uri();
            for (String path : List.of("/api/2.0/mlflow/experiments/search?max_results=1", "/__mlflow-secrets-auth/health")) {
                for (String authorization : new String[] {null, "Bearer not-the-token-0123456789", "Bearer " + CREDENTIAL}) {
                    HttpResponse<String> r = neighbourGet(proxy, path, authorization);
                    assertThat(r.statusCode()).as(path + " with " + authorization).isEqualTo(401);
                    assertThat(r.body()).contains("client token").doesNotContain(CREDENTIAL);
                    assertThat(r.headers().map().toString()).doesNotContain(CREDENTIAL);
                }
            }
            assertThat(client.toString()).doesNotContain(CREDENTIAL);
        }
        assertThat(mlflow.calls()).extracting(RecordedCall::path)
                .containsExactly("/api/2.0/mlflow/experiments/search", "/api/2.0/mlflow/experiments/create");
        assertThat(mlflow.calls()).allSatisfy(c -> assertThat(c.header("Authorization")).contains("Bearer " + CREDENTIAL));
    }

    @Test
    void aRedirectToAnotherServer_reachesIt_withNeitherTheCredentialNorTheProxyToken() {
        String elsewhereUrl = elsewhere.uri() + "/api/2.0/mlflow/experiments/get?experiment_id=0";
        mlflow.redirectNext(100, elsewhereUrl, 302);
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            assertThatThrownBy(() -> client.getExperiment("0")).hasMessageContaining("REDIRECT_REFUSED")
                    .hasMessageNotContaining(CREDENTIAL);
        }
        MlflowHostCredsProvider provider = MlflowSecretsAuth.hostCredsProvider(engine, mlflow.uri().toString());
        try (MlflowClient client = new MlflowClient(provider)) {
            assertThatThrownBy(() -> client.getExperiment("0")).hasMessageContaining("REDIRECT_REFUSED");
        } finally {
            ((SecretsAuthHostCredsProvider) provider).close();
        }
        assertThat(mlflow.requestCount()).as("the redirects were answered").isPositive();
        assertThat(elsewhere.requestCount()).as("the other server saw nothing at all").isZero();
    }

    @Test
    void aRedirectOnTheServerItself_isFollowedThroughTheProxy_withTheCredentialAddedAgain() {
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            String id = client.createExperiment("moved");
            mlflow.redirectNext(1, mlflow.uri() + "/api/2.0/mlflow/experiments/get?experiment_id=" + id, 302);
            assertThat(client.getExperiment(id).getName()).isEqualTo("moved");
        }
        assertThat(mlflow.calls()).hasSize(3).allSatisfy(c -> assertThat(c.header("Authorization")).contains("Bearer " + CREDENTIAL));
    }

    @Test
    void hostCredsProvider_closingItStopsItsProxy_andLeavesACallersEngineOpen() throws Exception {
        SecretsAuthHostCredsProvider provider = (SecretsAuthHostCredsProvider) MlflowSecretsAuth.hostCredsProvider(engine,
                mlflow.uri().toString());
        URI proxy = URI.create(provider.getHostCreds().getHost());
        String authorization = "Bearer " + provider.getHostCreds().getToken();
        assertThat(neighbourGet(proxy, "/api/2.0/mlflow/experiments/search", authorization).statusCode()).isEqualTo(200);
        provider.close();
        assertThatThrownBy(() -> neighbourGet(proxy, "/api/2.0/mlflow/experiments/search", authorization))
                .isInstanceOf(java.io.IOException.class);
        assertThat(engine.headersFor(mlflow.uri())).containsEntry("Authorization", "Bearer " + CREDENTIAL);
    }

    @Test
    void artifacts_withACallersEngine_carryTheirProxysToken_andNeverTheCredentialToTheProxy(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path temp) throws Exception {
        String runId;
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            runId = client.createRun(client.createExperiment("artifacts")).getRunId();
        }
        java.nio.file.Path file = java.nio.file.Files.writeString(temp.resolve("model.txt"), "weights");
        try (var artifacts = MlflowSecretsAuth.artifacts(engine, mlflow.uri().toString(), runId)) {
            artifacts.logArtifact(file, "model");
            assertThat(artifacts.listArtifacts("model")).extracting(a -> a.path()).containsExactly("model/model.txt");
        }
        assertThat(mlflow.calls()).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(c -> assertThat(c.header("Authorization")).contains("Bearer " + CREDENTIAL));
    }
}
