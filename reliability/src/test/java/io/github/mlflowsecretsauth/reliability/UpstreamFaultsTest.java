package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RunSnapshot;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Scenario 3, upstream faults through the proxy: 429 and 503 with Retry-After, 502, connection resets,
 * a server that is down then restarted, and a slow server. Idempotent calls are retried within the
 * budget; a POST is never sent twice (counted at the server); every failure that reaches the client
 * says what happened.
 */
class UpstreamFaultsTest {
    private static final Map<String, Long> COUNTS = new ConcurrentHashMap<>();
    private static final String THROTTLED = "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\",\"message\":\"slow down\"}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger step = new AtomicInteger();
    private final FaultGate faults = new FaultGate();
    private VaultServer vault;
    private MlflowServer mlflow;
    private SecretsAuth auth;
    private AuthProxy proxy;
    private String runId;

    @BeforeEach
    void start() throws Exception {
        vault = VaultServer.builder().start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        mlflow = MlflowServer.builder().gate(faults).start();
        auth = SecretsAuth.builder().settings(Settings.builder().setAll(Stack.vaultSettings(vault.address(), vault.rootToken()))
                .build()).build();
        proxy = AuthProxy.builder(auth, mlflow.uri()).idleTimeout(Duration.ofSeconds(1)).start();
        String exp = post("experiments/create", "{\"name\":\"faults\"}").body().replaceAll(".*\"experiment_id\"\\s*:\\s*\"?([0-9]+)\"?.*", "$1");
        runId = post("runs/create", "{\"experiment_id\":\"" + exp + "\"}").body()
                .replaceAll("(?s).*\"run_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        mlflow.resetCounts();
    }

    @AfterEach
    void stop() {
        proxy.close();
        auth.close();
        mlflow.close();
        vault.close();
    }

    @AfterAll
    static void report() {
        Results.Counts c = Results.of("upstream-faults");
        new java.util.TreeMap<>(COUNTS).forEach(c::put);
        c.record();
    }

    private static void count(String key, long value) {
        COUNTS.merge(key, value, Long::sum);
    }

    private HttpResponse<String> post(String endpoint, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/runs/get?run_id=" + runId));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> logMetric(int s, String... headers) throws Exception {
        return post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"f\",\"value\":1,\"timestamp\":1,\"step\":" + s + "}",
                headers);
    }

    private long recorded(int s) {
        RunSnapshot run = mlflow.run(runId).orElseThrow();
        return run.metricHistory("f").stream().filter(m -> m.step() == s).count();
    }

    @Test
    void throttled429And503WithRetryAfter_areReplayedWithinBudget_andRecordedOnce() throws Exception {
        for (int status : new int[] {429, 503}) {
            int s = step.incrementAndGet();
            mlflow.respondNext(2, status, THROTTLED, Map.of("Retry-After", "0"));
            HttpResponse<String> r = logMetric(s);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(recorded(s)).isEqualTo(1);
            assertThat(get().statusCode()).isEqualTo(200);
            count("throttledCallsSucceeded", 1);
        }
        assertThat(proxy.metrics().throttleReplays()).isEqualTo(4);
        count("throttleReplays", proxy.metrics().throttleReplays());
    }

    @Test
    void throttledBeyondTheBudget_theClientSeesTheServersAnswer() throws Exception {
        int s = step.incrementAndGet();
        mlflow.respondNext(50, 429, THROTTLED, Map.of("Retry-After", "0"));
        HttpResponse<String> r = logMetric(s);
        mlflow.clearFaults();
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).contains("REQUEST_LIMIT_EXCEEDED");
        assertThat(mlflow.requestCount("runs/log-metric")).isEqualTo(6); // 1 + the 5 replays of the budget
        assertThat(recorded(s)).isZero();
        count("throttledBeyondBudgetReported", 1);
    }

    @Test
    void badGateway502_getIsRetried_postIsNotAndSaysWhatHappened() throws Exception {
        mlflow.respondNext(1, 502, "", Map.of());
        assertThat(get().statusCode()).as("GET retried after a 502").isEqualTo(200);
        assertThat(mlflow.requestCount("runs/get")).isEqualTo(2);
        count("idempotentRetriedAfter502", 1);

        int s = step.incrementAndGet();
        mlflow.respondNext(1, 502, "", Map.of());
        HttpResponse<String> r = logMetric(s);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("UPSTREAM_ERROR", "answered HTTP 502", "the POST was not retried");
        assertThat(mlflow.requestCount("runs/log-metric")).isEqualTo(1);
        count("postNotRetriedAfter502", 1);
    }

    @Test
    void connectionReset_getIsRetried_postIsNotAndSaysWhatHappened() throws Exception {
        faults.resetNext(1);
        assertThat(get().statusCode()).isEqualTo(200);
        assertThat(mlflow.requestCount("runs/get")).isEqualTo(2);
        count("idempotentRetriedAfterReset", 1);

        int s = step.incrementAndGet();
        faults.resetNext(1);
        HttpResponse<String> r = logMetric(s);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("UPSTREAM_UNAVAILABLE", "the MLflow server at " + mlflow.uri().getAuthority()
                + " closed the connection without answering", "the POST was not retried");
        assertThat(mlflow.requestCount("runs/log-metric")).isEqualTo(1);
        assertThat(recorded(s)).isZero();
        count("postNotRetriedAfterReset", 1);
    }

    @Test
    void serverDownThenRestarted_failuresSayWhat_thenServiceResumesWithoutAProxyRestart() throws Exception {
        int port = mlflow.port();
        mlflow.close();
        HttpResponse<String> g = get();
        HttpResponse<String> p = logMetric(step.incrementAndGet());
        for (HttpResponse<String> r : List.of(g, p)) {
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("UPSTREAM_UNAVAILABLE", "cannot connect to 127.0.0.1:" + port).containsIgnoringCase("connection refused");
        }
        mlflow = MlflowServer.builder().port(port).gate(faults).start();
        String exp = post("experiments/create", "{\"name\":\"after-restart\"}").body().replaceAll(".*\"experiment_id\"\\s*:\\s*\"?([0-9]+)\"?.*", "$1");
        runId = post("runs/create", "{\"experiment_id\":\"" + exp + "\"}").body().replaceAll("(?s).*\"run_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
        int s = step.incrementAndGet();
        assertThat(logMetric(s).statusCode()).isEqualTo(200);
        assertThat(recorded(s)).isEqualTo(1);
        count("downCallsReported", 2);
        count("recoveredAfterRestart", 1);
    }

    @Test
    void slowServer_postTimesOutOnce_andIsNeverSentTwice_evenThoughTheServerDidTheWork() throws Exception {
        int s = step.incrementAndGet();
        HttpResponse<String> r = logMetric(s, FaultGate.DELAY_HEADER, "4000");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("UPSTREAM_TIMEOUT", "did not answer in time");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos(); // a safety net: the server finishes its slow work
        while (recorded(s) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(recorded(s)).as("the slow POST, done once by the server").isEqualTo(1);
        assertThat(mlflow.requestCount("runs/log-metric")).as("POSTs the proxy sent").isEqualTo(1);
        count("slowPostReportedOnceNotDuplicated", 1);
    }

    @Test
    void serverThatHoldsAGet_costsTheUpstreamTimeoutOnce_retriesIncluded() throws Exception {
        try (AuthProxy strict = AuthProxy.builder(auth, mlflow.uri()).upstreamTimeout(Duration.ofSeconds(2)).start()) {
            long started = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(strict.uri().resolve("/api/2.0/mlflow/runs/get?run_id=" + runId))
                    .header(FaultGate.DELAY_HEADER, "10000").build(), HttpResponse.BodyHandlers.ofString());
            long tookMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.statusCode()).isEqualTo(504);
            assertThat(r.body()).contains("UPSTREAM_TIMEOUT", "MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC");
            assertThat(tookMillis).as("one 2 s deadline, not one per attempt").isLessThan(5_000);
            assertThat(mlflow.requestCount("runs/get")).as("GETs the proxy sent: no retry after the deadline").isEqualTo(1);
            count("heldGetAnsweredAtTheDeadline", 1);
            count("heldGetMillis", tookMillis);
        }
    }

    @Test
    void officialClient_twoThrottledAnswersWithABody_doNotHangIt_andTheMetricIsRecordedOnce() {
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(auth, mlflow.uri().toString())) {
            int s = step.incrementAndGet();
            mlflow.respondNext(2, 429, THROTTLED, Map.of("Retry-After", "0"));
            assertTimeoutPreemptively(Duration.ofMinutes(2), () -> client.logMetric(runId, "f", 1, 1, s));
            assertThat(recorded(s)).isEqualTo(1);
            mlflow.respondNext(1, 503, THROTTLED, Map.of("Retry-After", "0"));
            int s2 = step.incrementAndGet();
            assertTimeoutPreemptively(Duration.ofMinutes(2), () -> client.logMetric(runId, "f", 1, 1, s2));
            assertThat(recorded(s2)).isEqualTo(1);
            count("officialClientThrottledCallsRecordedOnce", 2);
        }
    }
}
