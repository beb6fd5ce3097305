package io.github.mlflowsecretsauth.tracking.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST wire format through a plain HTTP client: int64 encodings, shapes, search and paging. */
class MlflowServerWireTest {

    private final MutableClock clock = MutableClock.startingAt("2024-01-01T00:00:00Z");
    private MlflowServer server;
    private MlflowHttp http;

    @BeforeEach
    void start() {
        server = MlflowServer.builder().clock(clock).start();
        http = new MlflowHttp(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void acceptsInt64FieldsAsStringsOrNumbersAndAnswersWithNumbers() throws Exception {
        String runId = http.newRun("int64");
        assertThat(http.post("runs/log-metric", "{\"run_id\":\"" + runId
                + "\",\"key\":\"m\",\"value\":\"0.5\",\"timestamp\":\"1700000000001\",\"step\":\"2\"}").status())
                .isEqualTo(200);
        assertThat(http.post("runs/log-metric", "{\"run_id\":\"" + runId
                + "\",\"key\":\"m\",\"value\":1.5,\"timestamp\":1700000000002,\"step\":3}").status()).isEqualTo(200);
        assertThat(http.post("runs/log-metric", "{\"run_uuid\":\"" + runId
                + "\",\"key\":\"m\",\"value\":\"NaN\",\"timestamp\":1700000000003}").status()).isEqualTo(200);

        JsonNode history = http.get("metrics/get-history?run_id=" + runId + "&metric_key=m").json().path("metrics");
        assertThat(history).hasSize(3);
        assertThat(history.get(0).path("timestamp").isIntegralNumber()).isTrue();
        assertThat(history.get(0).path("timestamp").asLong()).isEqualTo(1_700_000_000_001L);
        assertThat(history.get(0).path("step").asLong()).isEqualTo(2);
        assertThat(history.get(1).path("value").asDouble()).isEqualTo(1.5);
        assertThat(history.get(2).path("value").asText()).isEqualTo("NaN");
        assertThat(history.get(2).path("step").asLong()).isZero();

        JsonNode info = http.get("runs/get?run_id=" + runId).json().path("run").path("info");
        assertThat(info.path("start_time").isIntegralNumber()).isTrue();
        assertThat(info.path("start_time").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(http.post("runs/update",
                "{\"run_id\":\"" + runId + "\",\"status\":3,\"end_time\":\"1700000009999\"}")
                .json().path("run_info").path("end_time").asLong()).isEqualTo(1_700_000_009_999L);
        assertThat(http.post("runs/log-metric", "{\"run_id\":\"" + runId
                + "\",\"key\":\"m\",\"value\":1,\"timestamp\":\"soon\"}").errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void shapesMatchMlflowsServer() throws Exception {
        JsonNode defaultExperiment = http.get("experiments/get?experiment_id=0").json().path("experiment");
        assertThat(defaultExperiment.toString()).isEqualTo("{\"experiment_id\":\"0\",\"name\":\"Default\","
                + "\"artifact_location\":\"mlflow-artifacts:/0\",\"lifecycle_stage\":\"active\","
                + "\"last_update_time\":1704067200000,\"creation_time\":1704067200000}");

        clock.advance(java.time.Duration.ofSeconds(1));
        MlflowHttp.Answer created = http.post("runs/create", "{\"experiment_id\":\"0\",\"run_name\":\"r1\","
                + "\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}");
        JsonNode run = created.json().path("run");
        assertThat(created.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        String runId = run.path("info").path("run_id").asText();
        assertThat(runId).matches("[0-9a-f]{32}");
        assertThat(run.path("info").path("run_uuid").asText()).isEqualTo(runId);
        assertThat(run.path("info").path("start_time").asLong()).isEqualTo(1_704_067_201_000L);
        assertThat(run.path("info").path("status").asText()).isEqualTo("RUNNING");
        assertThat(run.path("info").has("end_time")).isFalse();
        assertThat(run.path("info").path("run_name").asText()).isEqualTo("r1");
        assertThat(run.path("data").toString())
                .isEqualTo("{\"tags\":[{\"key\":\"k\",\"value\":\"v\"},"
                        + "{\"key\":\"mlflow.runName\",\"value\":\"r1\"}]}");
        assertThat(run.path("inputs").toString()).isEqualTo("{}");

        assertThat(http.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"p\",\"value\":\"1\"}")
                .body()).isEqualTo("{}");
        assertThat(http.post("runs/search", "{\"experiment_ids\":[\"12345\"]}").body()).isEqualTo("{}");
        assertThat(http.get("metrics/get-history?run_id=" + runId + "&metric_key=none").body()).isEqualTo("{}");
        assertThat(http.post("runs/update", "{\"run_id\":\"" + runId + "\",\"run_name\":\"renamed\"}").json()
                .path("run_info").path("run_name").asText()).isEqualTo("renamed");
        assertThat(server.run(runId).orElseThrow().tags()).containsEntry("mlflow.runName", "renamed");
    }

    @Test
    void errorsLookLikeMlflows() throws Exception {
        MlflowHttp.Answer missing = http.get("experiments/get?experiment_id=42");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(missing.json().path("message").asText()).isEqualTo("No Experiment with id=42 exists");
        assertThat(http.get("experiments/get-by-name?experiment_name=nope").status()).isEqualTo(404);
        assertThat(http.get("runs/get?run_id=abc").errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");

        assertThat(http.post("experiments/create", "{\"name\":\"dup\"}").status()).isEqualTo(200);
        MlflowHttp.Answer duplicate = http.post("experiments/create", "{\"name\":\"dup\"}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.errorCode()).isEqualTo("RESOURCE_ALREADY_EXISTS");
        assertThat(http.post("experiments/create", "{}").errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");

        MlflowHttp.Answer malformed = http.post("experiments/create", "{\"name\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.errorCode()).isEqualTo("MALFORMED_REQUEST");
        MlflowHttp.Answer unknown = http.get("models/teleport");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(http.send("GET", "/elsewhere", null).errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(http.get("runs/create").status()).isEqualTo(405);

        String runId = http.newRun("errors");
        http.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"p\",\"value\":\"a\"}");
        assertThat(http.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"p\",\"value\":\"a\"}")
                .status()).isEqualTo(200);
        MlflowHttp.Answer changed = http.post("runs/log-parameter",
                "{\"run_id\":\"" + runId + "\",\"key\":\"p\",\"value\":\"b\"}");
        assertThat(changed.errorCode()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(changed.json().path("message").asText()).startsWith("Changing param values is not allowed");
        assertThat(server.run(runId).orElseThrow().paramWrites()).containsEntry("p", 2);
        assertThat(http.post("runs/search", "{\"experiment_ids\":[\"0\"],\"filter\":\"metrics.x ~ 1\"}").errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(http.post("runs/search", "{\"experiment_ids\":[\"0\"],\"filter\":\"bogus.x = '1'\"}").status())
                .isEqualTo(400);
        assertThat(http.post("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"DONE\"}").status())
                .isEqualTo(400);
    }

    @Test
    void logBatchIsAllOrNothingWithMlflowsLimits() throws Exception {
        String runId = http.newRun("batch");
        http.post("runs/log-parameter", "{\"run_id\":\"" + runId + "\",\"key\":\"p\",\"value\":\"a\"}");
        MlflowHttp.Answer conflict = http.post("runs/log-batch", "{\"run_id\":\"" + runId + "\","
                + "\"metrics\":[{\"key\":\"m\",\"value\":1,\"timestamp\":\"1\",\"step\":\"0\"}],"
                + "\"params\":[{\"key\":\"p\",\"value\":\"b\"}]}");
        assertThat(conflict.status()).isEqualTo(400);
        assertThat(server.run(runId).orElseThrow().metrics()).isEmpty();

        StringBuilder params = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            params.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i).append("\",\"value\":\"v\"}");
        }
        assertThat(http.post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"params\":[" + params + "]}")
                .json().path("message").asText()).contains("at most 100 params");
        assertThat(http.post("runs/log-batch", "{\"run_id\":\"" + runId
                + "\",\"params\":[{\"key\":\"x\",\"value\":\"1\"},{\"key\":\"x\",\"value\":\"1\"}]}").status())
                .isEqualTo(400);
        assertThat(http.post("runs/log-batch", "{\"run_id\":\"" + runId
                + "\",\"tags\":[{\"key\":\"t\",\"value\":\"1\"}]}").status()).isEqualTo(200);
        assertThat(http.post("runs/delete-tag", "{\"run_id\":\"" + runId + "\",\"key\":\"t\"}").status())
                .isEqualTo(200);
        assertThat(server.run(runId).orElseThrow().tags()).doesNotContainKey("t");
    }

    @Test
    void searchesExperimentsByGetAndPostWithPages() throws Exception {
        for (int i = 1; i <= 3; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            http.post("experiments/create", "{\"name\":\"exp-" + i + "\",\"tags\":[{\"key\":\"team\",\"value\":\"t"
                    + (i % 2) + "\"}]}");
        }
        JsonNode first = http.get("experiments/search?max_results=2").json();
        assertThat(first.path("experiments")).extracting(node -> node.path("name").asText())
                .containsExactly("exp-3", "exp-2");
        String token = first.path("next_page_token").asText();
        assertThat(token).isNotEmpty();
        JsonNode second = http.post("experiments/search", "{\"max_results\":\"2\",\"page_token\":\"" + token + "\"}")
                .json();
        assertThat(second.path("experiments")).extracting(node -> node.path("name").asText())
                .containsExactly("exp-1", "Default");
        assertThat(second.has("next_page_token")).isFalse();

        JsonNode filtered = http.post("experiments/search", "{\"filter\":\"tags.team = 't1' AND name LIKE 'exp-%'\","
                + "\"order_by\":[\"name ASC\"],\"view_type\":\"ACTIVE_ONLY\"}").json();
        assertThat(filtered.path("experiments")).extracting(node -> node.path("name").asText())
                .containsExactly("exp-1", "exp-3");
        assertThat(http.get("experiments/search?filter=" + java.net.URLEncoder.encode("name ILIKE 'EXP-2'",
                java.nio.charset.StandardCharsets.UTF_8)).json().path("experiments")).hasSize(1);
        assertThat(http.send("GET", "/ajax-api/2.0/mlflow/experiments/get-by-name?experiment_name=exp-2", null)
                .json().path("experiment").path("name").asText()).isEqualTo("exp-2");
        assertThat(http.get("experiments/search?max_results=0").status()).isEqualTo(400);
        assertThat(http.get("experiments/search?page_token=%25%25").status()).isEqualTo(400);
    }

    @Test
    void searchesRunsByMetricsParamsTagsAndAttributes() throws Exception {
        String experimentId = http.post("experiments/create", "{\"name\":\"runs\"}").json().path("experiment_id")
                .asText();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = http.post("runs/create", "{\"experiment_id\":\"" + experimentId + "\",\"start_time\":"
                    + (1000 + i) + ",\"run_name\":\"run-" + i + "\"}").json().path("run").path("info")
                    .path("run_id").asText();
            http.post("runs/log-batch", "{\"run_id\":\"" + runId + "\",\"metrics\":[{\"key\":\"acc\",\"value\":"
                    + (0.1 * i) + ",\"timestamp\":1}],\"params\":[{\"key\":\"model\",\"value\":\"m" + (i % 2)
                    + "\"}],\"tags\":[{\"key\":\"stage\",\"value\":\"s" + i + "\"}]}");
            ids.add(runId);
        }
        http.post("runs/update", "{\"run_id\":\"" + ids.get(0) + "\",\"status\":\"FINISHED\",\"end_time\":5}");

        assertThat(search(experimentId, "")).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(search(experimentId, "metrics.acc >= 0.1 and params.model = 'm1'")).containsExactly(ids.get(1));
        assertThat(search(experimentId, "attributes.status = 'FINISHED'")).containsExactly(ids.get(0));
        assertThat(search(experimentId, "tags.`stage` IN ('s0', 's2')")).containsExactly(ids.get(2), ids.get(0));
        assertThat(search(experimentId, "run_name LIKE 'run-_' AND start_time < 1002"))
                .containsExactly(ids.get(1), ids.get(0));
        assertThat(search(experimentId, "attributes.run_id = '" + ids.get(1) + "'")).containsExactly(ids.get(1));
        assertThat(search(experimentId, "params.missing != 'x'")).isEmpty();
        JsonNode ordered = http.post("runs/search", "{\"experiment_ids\":[\"" + experimentId
                + "\"],\"order_by\":[\"metrics.acc ASC\"],\"max_results\":\"2\"}").json();
        assertThat(ordered.path("runs")).extracting(run -> run.path("info").path("run_id").asText())
                .containsExactly(ids.get(0), ids.get(1));
        assertThat(ordered.path("runs").get(0).path("data").path("metrics").get(0).path("value").asDouble())
                .isEqualTo(0.0);
        assertThat(ordered.path("next_page_token").asText()).isNotEmpty();
    }

    @Test
    void recordsEveryConcurrentLogCallExactlyOnce() throws Exception {
        String runId = http.newRun("concurrent");
        server.resetCounts();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int t = thread;
                results.add(pool.submit(() -> {
                    int ok = 0;
                    for (int i = 0; i < 25; i++) {
                        ok += http.post("runs/log-metric", "{\"run_id\":\"" + runId + "\",\"key\":\"k" + t
                                + "\",\"value\":" + i + ",\"timestamp\":" + i + ",\"step\":" + i + "}").status() == 200
                                ? 1 : 0;
                    }
                    return ok;
                }));
            }
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(25);
            }
        } finally {
            pool.shutdownNow();
        }
        RunSnapshot run = server.run(runId).orElseThrow();
        assertThat(run.metrics()).hasSize(200);
        assertThat(run.metricHistory("k3")).extracting(RunSnapshot.Metric::step)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 25).boxed().toList());
        assertThat(server.requestCount("runs/log-metric")).isEqualTo(200);
        assertThat(server.requestCount()).isEqualTo(200);
    }

    private List<String> search(String experimentId, String filter) throws Exception {
        JsonNode body = MlflowHttp.MAPPER.createObjectNode().put("filter", filter);
        ((com.fasterxml.jackson.databind.node.ObjectNode) body).putArray("experiment_ids").add(experimentId);
        MlflowHttp.Answer answer = http.post("runs/search", body.toString());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().path("runs").forEach(run -> ids.add(run.path("info").path("run_id").asText()));
        return ids;
    }
}
