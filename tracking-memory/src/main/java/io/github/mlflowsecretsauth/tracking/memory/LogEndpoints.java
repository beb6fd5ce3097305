package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The endpoints that log into a run and read its metric history: {@code runs/log-metric},
 * {@code runs/log-parameter}, {@code runs/log-batch}, {@code runs/set-tag},
 * {@code runs/delete-tag} and {@code metrics/get-history}. Log-batch applies MLflow's limits
 * (1000 metrics, 100 params, 100 tags, 1000 items in all) and rejects a param key given twice.
 *
 * <p>Thread-safe: stateless apart from the thread-safe {@link TrackingStore}.
 */
final class LogEndpoints {

    private static final int HISTORY_LIMIT = 25_000;

    private final TrackingStore store;

    LogEndpoints(TrackingStore store) {
        this.store = store;
    }

    ObjectNode logMetric(JsonNode message) {
        store.logBatch(JsonFields.runId(message), List.of(metric(message)), Map.of(), List.of());
        return MlflowJson.object();
    }

    ObjectNode logParam(JsonNode message) {
        String key = JsonFields.requireString(message, "key");
        store.logBatch(JsonFields.runId(message), List.of(), Map.of(key, value(message)), List.of());
        return MlflowJson.object();
    }

    ObjectNode setTag(JsonNode message) {
        Map.Entry<String, String> tag = new AbstractMap.SimpleImmutableEntry<>(
                JsonFields.requireString(message, "key"), value(message));
        store.logBatch(JsonFields.runId(message), List.of(), Map.of(), List.of(tag));
        return MlflowJson.object();
    }

    ObjectNode deleteTag(JsonNode message) {
        store.deleteTag(JsonFields.runId(message), JsonFields.requireString(message, "key"));
        return MlflowJson.object();
    }

    ObjectNode logBatch(JsonNode message) {
        String runId = JsonFields.runId(message);
        List<JsonNode> metricNodes = JsonFields.objects(message, "metrics");
        List<JsonNode> paramNodes = JsonFields.objects(message, "params");
        List<JsonNode> tagNodes = JsonFields.objects(message, "tags");
        limit("metrics", metricNodes.size(), 1000);
        limit("params", paramNodes.size(), 100);
        limit("tags", tagNodes.size(), 100);
        int total = metricNodes.size() + paramNodes.size() + tagNodes.size();
        if (total > 1000) {
            throw ApiError.invalidParameter("A batch logging request can contain at most 1000 metrics, params, and"
                    + " tags in total. Got " + total + " items.");
        }
        List<RunSnapshot.Metric> metrics = new ArrayList<>();
        metricNodes.forEach(node -> metrics.add(metric(node)));
        Map<String, String> params = new LinkedHashMap<>();
        for (JsonNode node : paramNodes) {
            String key = JsonFields.requireString(node, "key");
            if (params.put(key, value(node)) != null) {
                throw ApiError.invalidParameter("Duplicate parameter keys have been submitted: ['" + key
                        + "']. Please ensure the request contains only one param value per param key.");
            }
        }
        List<Map.Entry<String, String>> tags = new ArrayList<>();
        for (JsonNode node : tagNodes) {
            tags.add(new AbstractMap.SimpleImmutableEntry<>(JsonFields.requireString(node, "key"), value(node)));
        }
        store.logBatch(runId, metrics, params, tags);
        return MlflowJson.object();
    }

    ObjectNode history(JsonNode message) {
        String runId = JsonFields.runId(message);
        String key = JsonFields.requireString(message, "metric_key");
        int maxResults = JsonFields.maxResults(message, HISTORY_LIMIT, HISTORY_LIMIT);
        List<RunSnapshot.Metric> history = store.run(runId).metricHistory(key);
        ObjectNode response = MlflowJson.object();
        List<ObjectNode> page = Pages.page(history, message, maxResults, response).stream()
                .map(MlflowJson::metric).toList();
        return MlflowJson.putArray(response, "metrics", page);
    }

    private static RunSnapshot.Metric metric(JsonNode node) {
        Long step = JsonFields.int64(node, "step");
        return new RunSnapshot.Metric(JsonFields.requireString(node, "key"), JsonFields.requireDouble(node, "value"),
                JsonFields.requireInt64(node, "timestamp"), step == null ? 0 : step);
    }

    /** A param or tag value: may be empty, never absent (MLflow stores an absent one as ""). */
    private static String value(JsonNode node) {
        return Objects.requireNonNullElse(JsonFields.string(node, "value"), "");
    }

    private static void limit(String what, int count, int max) {
        if (count > max) {
            throw ApiError.invalidParameter("A batch logging request can contain at most " + max + " " + what
                    + ". Got " + count + " " + what + ". Please split up " + what
                    + " across multiple requests and try again.");
        }
    }
}
