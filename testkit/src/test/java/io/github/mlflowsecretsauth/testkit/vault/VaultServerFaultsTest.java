package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultServerFaultsTest {

    private VaultServer vault;
    private VaultHttp http;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().rootToken("s3cr3t-root").start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "t"));
        http = new VaultHttp(vault.address()).token("s3cr3t-root");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void healthReportsAnUnsealedInitializedServer() throws Exception {
        VaultHttp.Answer answer = new VaultHttp(vault.address()).get("/v1/sys/health");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("initialized").asBoolean()).isTrue();
        assertThat(answer.json().path("sealed").asBoolean()).isFalse();
        assertThat(answer.json().path("standby").asBoolean()).isFalse();
        assertThat(answer.json().path("version").asText()).isEqualTo("1.15.0-testkit");
    }

    @Test
    void failNextFailsExactlyThatManyRequestsThenRecovers() throws Exception {
        vault.failNext(2, 502);

        VaultHttp.Answer first = http.get("/v1/secret/data/mlflow/auth");
        VaultHttp.Answer second = http.get("/v1/secret/data/mlflow/auth");
        VaultHttp.Answer third = http.get("/v1/secret/data/mlflow/auth");

        assertThat(first.status()).isEqualTo(502);
        assertThat(first.json().toString()).isEqualTo("{\"errors\":[\"injected failure\"]}");
        assertThat(second.status()).isEqualTo(502);
        assertThat(third.status()).isEqualTo(200);
    }

    @Test
    void failNextSparesTheHealthEndpoint() throws Exception {
        vault.failNext(1, 500);

        assertThat(http.get("/v1/sys/health").status()).isEqualTo(200);
        assertThat(http.get("/v1/secret/data/mlflow/auth").status()).isEqualTo(500);
    }

    @Test
    void anUnavailableServerAnswersSealedUntilMadeAvailableAgain() throws Exception {
        vault.setAvailable(false);

        VaultHttp.Answer read = http.get("/v1/secret/data/mlflow/auth");
        VaultHttp.Answer health = http.get("/v1/sys/health");
        vault.setAvailable(true);

        assertThat(read.status()).isEqualTo(503);
        assertThat(read.json().toString()).isEqualTo("{\"errors\":[\"Vault is sealed\"]}");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().path("sealed").asBoolean()).isTrue();
        assertThat(http.get("/v1/secret/data/mlflow/auth").status()).isEqualTo(200);
    }

    @Test
    void latencyDelaysAnswers() throws Exception {
        vault.setLatency(Duration.ofMillis(150));
        long start = System.nanoTime();

        http.get("/v1/sys/health");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        vault.setLatency(Duration.ZERO);
    }

    @Test
    void requestsAreCountedByPathPrefixAndCanBeReset() throws Exception {
        http.get("/v1/secret/data/mlflow/auth");
        http.get("/v1/secret/data/mlflow/auth");
        http.get("/v1/auth/token/lookup-self");

        assertThat(vault.requestCount()).isEqualTo(3);
        assertThat(vault.requestCount("/v1/secret/data/mlflow")).isEqualTo(2);
        assertThat(vault.requestCount("secret/data")).isEqualTo(2);
        assertThat(vault.requestCount("auth/token")).isEqualTo(1);

        vault.resetCounts();

        assertThat(vault.requestCount()).isZero();
        assertThat(vault.requests()).isEmpty();
    }

    @Test
    void recordedRequestsKeepTheTokenButNeverPrintIt() throws Exception {
        http.get("/v1/secret/data/mlflow/auth?version=1");

        RecordedRequest request = vault.requests().get(0);

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.path()).isEqualTo("/v1/secret/data/mlflow/auth");
        assertThat(request.query()).isEqualTo("version=1");
        assertThat(request.token()).contains("s3cr3t-root");
        assertThat(request.header("x-vault-token")).contains("s3cr3t-root");
        assertThat(request.toString()).doesNotContain("s3cr3t-root").contains("X-Vault-Token=[masked]");
    }

    @Test
    void recordedBearerTokensAreMaskedToo() throws Exception {
        new VaultHttp(vault.address()).header("Authorization", "Bearer s3cr3t-root").get("/v1/sys/health");

        RecordedRequest request = vault.requests().get(0);

        assertThat(request.token()).contains("s3cr3t-root");
        assertThat(request.toString()).doesNotContain("s3cr3t-root");
    }

    @Test
    void pathsOutsideTheApiAreNotFound() throws Exception {
        assertThat(http.get("/ui/").status()).isEqualTo(404);
    }
}
