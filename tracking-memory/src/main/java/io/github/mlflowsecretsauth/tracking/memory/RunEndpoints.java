package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.SearchSyntax.Identifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The run lifecycle endpoints: {@code runs/create}, {@code runs/update}, {@code runs/get} and
 * {@code runs/search} (filter and order on metrics, params, tags and attributes; default order
 * newest {@code start_time} first, then run id).
 *
 * <p>Thread-safe: stateless apart from the thread-safe {@link TrackingStore}.
 */
final class RunEndpoints {

    private static final int MAX_RESULTS_LIMIT = 50_000;

    private final TrackingStore store;

    RunEndpoints(TrackingStore store) {
        this.store = store;
    }

    ObjectNode create(JsonNode message) {
        String experimentId = JsonFields.string(message, "experiment_id");
        Map<String, String> tags = new LinkedHashMap<>();
        for (JsonNode tag : JsonFields.objects(message, "tags")) {
            tags.put(JsonFields.requireString(tag, "key"),
                    Objects.requireNonNullElse(JsonFields.string(tag, "value"), ""));
        }
        RunSnapshot run = store.createRun(experimentId == null || experimentId.isEmpty() ? "0" : experimentId,
                JsonFields.string(message, "user_id"), JsonFields.int64(message, "start_time"),
                JsonFields.string(message, "run_name"), tags);
        return wrap("run", MlflowJson.run(run));
    }

    ObjectNode update(JsonNode message) {
        String runId = JsonFields.runId(message);
        String status = JsonFields.string(message, "status");
        RunSnapshot run = store.updateRun(runId, status == null ? null : RunEntry.parseStatus(status),
                JsonFields.int64(message, "end_time"), JsonFields.string(message, "run_name"));
        return wrap("run_info", MlflowJson.runInfo(run));
    }

    ObjectNode get(JsonNode message) {
        return wrap("run", MlflowJson.run(store.run(JsonFields.runId(message))));
    }

    ObjectNode search(JsonNode message) {
        int maxResults = JsonFields.maxResults(message, 1000, MAX_RESULTS_LIMIT);
        String viewType = ExperimentEndpoints.viewType(JsonFields.string(message, "run_view_type"));
        SearchFilter filter = SearchFilter.parse(JsonFields.string(message, "filter"), SearchSyntax.RUNS);
        Comparator<RunSnapshot> order = SearchOrder.parse(JsonFields.strings(message, "order_by"), SearchSyntax.RUNS,
                RunEndpoints::values, Comparator.comparingLong(RunSnapshot::startTime).reversed()
                        .thenComparing(RunSnapshot::runId));
        List<RunSnapshot> found = new ArrayList<>();
        if (!viewType.equals("DELETED_ONLY")) {
            for (RunSnapshot run : store.runs(JsonFields.strings(message, "experiment_ids"))) {
                if (filter.matches(values(run))) {
                    found.add(run);
                }
            }
        }
        found.sort(order);
        ObjectNode response = MlflowJson.object();
        List<ObjectNode> page = Pages.page(found, message, maxResults, response).stream()
                .map(MlflowJson::run).toList();
        return MlflowJson.putArray(response, "runs", page);
    }

    private static ObjectNode wrap(String field, ObjectNode value) {
        ObjectNode response = MlflowJson.object();
        response.set(field, value);
        return response;
    }

    private static Function<Identifier, Object> values(RunSnapshot run) {
        Map<String, RunSnapshot.Metric> metrics = run.latestMetrics();
        return identifier -> switch (identifier.entity()) {
            case METRIC -> {
                RunSnapshot.Metric metric = metrics.get(identifier.key());
                yield metric == null ? null : metric.value();
            }
            case PARAM -> run.params().get(identifier.key());
            case TAG -> run.tags().get(identifier.key());
            case ATTRIBUTE -> switch (identifier.key()) {
                case "run_id" -> run.runId();
                case "run_name" -> run.runName();
                case "status" -> run.status();
                case "user_id" -> run.userId();
                case "artifact_uri" -> run.artifactUri();
                case "lifecycle_stage" -> run.lifecycleStage();
                case "start_time" -> run.startTime();
                default -> run.endTime();
            };
        };
    }
}
