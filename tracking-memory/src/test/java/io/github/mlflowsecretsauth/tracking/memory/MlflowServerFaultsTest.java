package io.github.mlflowsecretsauth.tracking.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;

/** Canned responses, redirects and the recorded calls. */
class MlflowServerFaultsTest {

    private MlflowServer server;
    private MlflowHttp http;

    @BeforeEach
    void start() {
        server = MlflowServer.builder().start();
        http = new MlflowHttp(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void respondNextAnswersExactlyThatManyRequestsThenServesAgain() throws Exception {
        server.respondNext(2, 429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}",
                Map.of("Retry-After", "1"));

        for (int i = 0; i < 2; i++) {
            MlflowHttp.Answer limited = http.get("experiments/get?experiment_id=0");
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.errorCode()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
            assertThat(limited.raw().headers().firstValue("Retry-After")).hasValue("1");
            assertThat(limited.raw().headers().firstValue("Content-Type")).hasValue("application/json");
        }
        assertThat(http.get("experiments/get?experiment_id=0").status()).isEqualTo(200);
        assertThat(server.requestCount("experiments/get")).isEqualTo(3);
    }

    @Test
    void cannedResponsesAreGivenInTheOrderTheyWereAskedFor() throws Exception {
        server.respondNext(1, 503, null, Map.of("Retry-After", "0"));
        server.redirectNext(1, "http://elsewhere.invalid:1/api/2.0/mlflow/experiments/get?experiment_id=0", 307);

        MlflowHttp.Answer unavailable = http.post("runs/create", "{}");
        assertThat(unavailable.status()).isEqualTo(503);
        assertThat(unavailable.body()).isEmpty();
        MlflowHttp.Answer redirected = http.get("experiments/get?experiment_id=0");
        assertThat(redirected.status()).isEqualTo(307);
        assertThat(redirected.raw().headers().firstValue("Location"))
                .hasValue("http://elsewhere.invalid:1/api/2.0/mlflow/experiments/get?experiment_id=0");
        assertThat(http.get("experiments/get?experiment_id=0").status()).isEqualTo(200);
        assertThat(server.runs("0")).isEmpty();

        server.respondNext(5, 500, "{}", Map.of());
        server.clearFaults();
        assertThat(http.get("experiments/get?experiment_id=0").status()).isEqualTo(200);
    }

    @Test
    void theOfficialClientRetriesServerErrorsAndFollowsRedirects() {
        try (MlflowClient client = new MlflowClient(server.uri().toString())) {
            server.respondNext(2, 500, "{\"error_code\":\"INTERNAL_ERROR\",\"message\":\"boom\"}", Map.of());
            assertThat(client.getExperiment("0").getName()).isEqualTo("Default");
            assertThat(server.requestCount("experiments/get")).isEqualTo(3);

            server.resetCounts();
            server.redirectNext(1, server.uri() + "/ajax-api/2.0/mlflow/experiments/get?experiment_id=0", 302);
            assertThat(client.getExperiment("0").getName()).isEqualTo("Default");
            assertThat(server.calls()).extracting(RecordedCall::path).containsExactly(
                    "/api/2.0/mlflow/experiments/get", "/ajax-api/2.0/mlflow/experiments/get");
        }
    }

    @Test
    void recordedCallsKeepHeadersButPrintNoCredentials() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        server.uri().resolve("/api/2.0/mlflow/runs/search"))
                .header("Authorization", "Bearer s3cr3t-token")
                .header("X-Api-Key", "k3y-value")
                .header("X-Trace", "visible")
                .POST(HttpRequest.BodyPublishers.ofString("{\"experiment_ids\":[\"0\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);

        RecordedCall call = server.calls().get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/api/2.0/mlflow/runs/search");
        assertThat(call.header("authorization")).hasValue("Bearer s3cr3t-token");
        assertThat(call.body().path("experiment_ids").get(0).asText()).isEqualTo("0");
        assertThat(call.toString()).doesNotContain("s3cr3t", "k3y-value").contains("X-Trace=visible", "[masked]");

        server.resetCounts();
        assertThat(server.requestCount()).isZero();
        assertThat(server.calls()).isEmpty();
    }
}
