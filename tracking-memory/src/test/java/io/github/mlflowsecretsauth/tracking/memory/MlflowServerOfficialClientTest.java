package io.github.mlflowsecretsauth.tracking.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.RunsPage;
import org.mlflow_project.google.protobuf.util.JsonFormat;

/** The official MLflow Java client 2.17.2 against the testkit server, unchanged. */
class MlflowServerOfficialClientTest {

    private MlflowServer server;
    private MlflowClient client;

    @BeforeEach
    void start() {
        server = MlflowServer.builder().start();
        client = new MlflowClient(server.uri().toString());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createsFindsAndSearchesExperiments() {
        String id = client.createExperiment("official-client");

        assertThat(client.getExperiment(id).getName()).isEqualTo("official-client");
        Optional<Service.Experiment> byName = client.getExperimentByName("official-client");
        assertThat(byName).isPresent();
        assertThat(byName.get().getExperimentId()).isEqualTo(id);
        assertThat(byName.get().getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(byName.get().getLifecycleStage()).isEqualTo("active");
        assertThat(byName.get().getCreationTime()).isPositive();
        assertThat(client.getExperiment("0").getName()).isEqualTo("Default");
        assertThat(client.searchExperiments().getItems()).extracting(Service.Experiment::getName)
                .containsExactly("official-client", "Default");
        assertThat(client.searchExperiments("name = 'Default'").getItems()).hasSize(1);
        assertThatThrownBy(() -> client.createExperiment("official-client"))
                .isInstanceOfSatisfying(MlflowHttpException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(400);
                    assertThat(e.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
                });
    }

    @Test
    void missingExperimentByNameIsEmptyAfterTheClientsThreeAttempts() {
        server.resetCounts();

        assertThat(client.getExperimentByName("no-such-experiment")).isEmpty();
        // The client retries every non-429 error, a 404 too, three times in all.
        assertThat(server.requestCount("experiments/get-by-name")).isEqualTo(3);
    }

    @Test
    void logsATrainingRunAndReadsItBack() {
        String experimentId = client.createExperiment("training");
        Service.RunInfo created = client.createRun(experimentId);
        String runId = created.getRunId();
        assertThat(created.getStatus()).isEqualTo(Service.RunStatus.RUNNING);
        assertThat(created.getRunUuid()).isEqualTo(runId);
        assertThat(created.getExperimentId()).isEqualTo(experimentId);
        assertThat(created.getArtifactUri())
                .isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");
        assertThat(created.getUserId()).isEqualTo(System.getProperty("user.name"));
        assertThat(created.getRunName()).isNotEmpty();

        client.logParam(runId, "lr", "0.01");
        client.logMetric(runId, "loss", 0.9, 1_700_000_000_000L, 0);
        client.logMetric(runId, "loss", 0.5, 1_700_000_000_100L, 1);
        client.setTag(runId, "team", "vision");
        client.logBatch(runId,
                List.of(Service.Metric.newBuilder().setKey("acc").setValue(0.75).setTimestamp(1_700_000_000_200L)
                        .setStep(1).build()),
                List.of(Service.Param.newBuilder().setKey("epochs").setValue("10").build()),
                List.of(Service.RunTag.newBuilder().setKey("stage").setValue("dev").build()));
        client.setTerminated(runId);

        Service.Run run = client.getRun(runId);
        assertThat(run.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(run.getInfo().getEndTime()).isPositive();
        assertThat(run.getData().getParamsList()).extracting(Service.Param::getKey, Service.Param::getValue)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("lr", "0.01"),
                        org.assertj.core.groups.Tuple.tuple("epochs", "10"));
        assertThat(run.getData().getTagsList()).extracting(Service.RunTag::getKey)
                .contains("team", "stage", "mlflow.runName");
        assertThat(run.getData().getMetricsList()).extracting(Service.Metric::getKey, Service.Metric::getValue)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("loss", 0.5),
                        org.assertj.core.groups.Tuple.tuple("acc", 0.75));

        List<Service.Metric> history = client.getMetricHistory(runId, "loss");
        assertThat(history).extracting(Service.Metric::getValue).containsExactly(0.9, 0.5);
        assertThat(history).extracting(Service.Metric::getStep).containsExactly(0L, 1L);
        assertThat(history).extracting(Service.Metric::getTimestamp)
                .containsExactly(1_700_000_000_000L, 1_700_000_000_100L);

        RunSnapshot stored = server.run(runId).orElseThrow();
        assertThat(stored.paramWrites()).containsEntry("lr", 1).containsEntry("epochs", 1);
        assertThat(stored.tagWrites()).containsEntry("team", 1).containsEntry("stage", 1);
        assertThat(stored.metrics()).hasSize(3);
        assertThat(server.requestCount("runs/log-metric")).isEqualTo(2);
    }

    @Test
    void sendsInt64FieldsAsStringsInPrettyPrintedBodies() {
        String runId = client.createRun().getRunId();
        client.logMetric(runId, "m", 1.0, 1_700_000_000_000L, 7);

        RecordedCall call = server.calls().stream().filter(c -> c.path().endsWith("runs/log-metric"))
                .findFirst().orElseThrow();
        JsonNode body = call.body();
        assertThat(body.path("timestamp").isTextual()).isTrue();
        assertThat(body.path("timestamp").asText()).isEqualTo("1700000000000");
        assertThat(body.path("step").asText()).isEqualTo("7");
        assertThat(server.run(runId).orElseThrow().metrics())
                .containsExactly(new RunSnapshot.Metric("m", 1.0, 1_700_000_000_000L, 7));
    }

    @Test
    @SuppressWarnings("deprecation") // searchRuns(List, String) is what simple callers use
    void searchesRunsWithFilterOrderAndPages() {
        String experimentId = client.createExperiment("search");
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = client.createRun(experimentId).getRunId();
            client.logParam(runId, "model", i == 1 ? "tree" : "linear");
            client.logMetric(runId, "acc", 0.5 + i / 10.0);
            runIds.add(runId);
        }

        List<Service.RunInfo> linear = client.searchRuns(List.of(experimentId), "params.model = 'linear'");
        assertThat(linear).extracting(Service.RunInfo::getRunId)
                .containsExactlyInAnyOrder(runIds.get(0), runIds.get(2));

        RunsPage page = client.searchRuns(List.of(experimentId), "metrics.acc > 0.55", null, 1,
                List.of("metrics.acc DESC"), null);
        assertThat(page.getItems()).extracting(run -> run.getInfo().getRunId()).containsExactly(runIds.get(2));
        assertThat(page.hasNextPage()).isTrue();
        Page<Service.Run> next = page.getNextPage();
        assertThat(next.getItems()).extracting(run -> run.getInfo().getRunId()).containsExactly(runIds.get(1));
        assertThat(next.hasNextPage()).isFalse();
        assertThat(client.listRunInfos(experimentId)).hasSize(3);
    }

    @Test
    void listsArtifactsThroughTheClientsTransportAndProtobufParser() throws Exception {
        String runId = client.createRun().getRunId();
        String artifactUri = client.getRun(runId).getInfo().getArtifactUri();
        String storePath = artifactUri.substring("mlflow-artifacts:/".length());
        HttpResponse<String> put = new MlflowHttp(server.uri()).client().send(HttpRequest.newBuilder(
                        URI.create(server.uri() + "/api/2.0/mlflow-artifacts/artifacts/" + storePath
                                + "/model/weights.bin"))
                .PUT(HttpRequest.BodyPublishers.ofString("0123456789")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        // client.listArtifacts forks Python (`python -m mlflow.store.artifact.cli`), so the call
        // goes through the client's own HTTP transport and protobuf parser instead.
        Service.ListArtifacts.Response.Builder root = Service.ListArtifacts.Response.newBuilder();
        JsonFormat.parser().merge(client.sendGet("artifacts/list?run_id=" + runId), root);
        assertThat(root.getRootUri()).isEqualTo(artifactUri);
        assertThat(root.getFilesList()).extracting(Service.FileInfo::getPath, Service.FileInfo::getIsDir)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("model", true));

        Service.ListArtifacts.Response.Builder model = Service.ListArtifacts.Response.newBuilder();
        JsonFormat.parser().merge(client.sendGet("artifacts/list?run_id=" + runId + "&path=model"), model);
        assertThat(model.getFilesList()).singleElement().satisfies(file -> {
            assertThat(file.getPath()).isEqualTo("model/weights.bin");
            assertThat(file.getIsDir()).isFalse();
            assertThat(file.getFileSize()).isEqualTo(10);
        });
    }

    @Test
    void everyResponseParsesStrictlyIntoTheClientsProtobufMessages() throws Exception {
        String experimentId = client.createExperiment("strict");
        String runId = client.createRun(experimentId).getRunId();
        client.logMetric(runId, "loss", Double.NaN, 1L, 2L);
        client.logParam(runId, "p", "v");
        client.setTerminated(runId, Service.RunStatus.KILLED, 5L);

        // Without ignoringUnknownFields: a field the protos do not define would fail here.
        JsonFormat.Parser strict = JsonFormat.parser();
        strict.merge(client.sendGet("experiments/get?experiment_id=" + experimentId),
                Service.GetExperiment.Response.newBuilder());
        Service.GetRun.Response.Builder run = Service.GetRun.Response.newBuilder();
        strict.merge(client.sendGet("runs/get?run_id=" + runId), run);
        assertThat(run.getRun().getInfo().getStatus()).isEqualTo(Service.RunStatus.KILLED);
        assertThat(run.getRun().getInfo().getEndTime()).isEqualTo(5L);
        assertThat(run.getRun().getData().getMetrics(0).getValue()).isNaN();
        strict.merge(client.sendPost("runs/search", "{\"experiment_ids\":[\"" + experimentId + "\"]}"),
                Service.SearchRuns.Response.newBuilder());
        strict.merge(client.sendPost("experiments/search", "{\"max_results\":\"10\"}"),
                Service.SearchExperiments.Response.newBuilder());
        strict.merge(client.sendGet("metrics/get-history?run_id=" + runId + "&metric_key=loss"),
                Service.GetMetricHistory.Response.newBuilder());
        strict.merge(client.sendPost("runs/update", "{\"run_id\":\"" + runId + "\",\"status\":\"FINISHED\"}"),
                Service.UpdateRun.Response.newBuilder());
    }
}
