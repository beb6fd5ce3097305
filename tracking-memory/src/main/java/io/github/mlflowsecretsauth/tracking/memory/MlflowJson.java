package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.util.Collection;
import java.util.Map;

/**
 * Renders the store's state as MLflow's tracking server does ({@code message_to_json} in
 * {@code mlflow/utils/proto_json_utils.py}): snake_case names, int64 fields as JSON numbers (MLflow
 * converts protobuf's int64 strings back to numbers), enums by name, and unset fields and empty
 * repeated fields left out, as protobuf's JSON printer leaves them out.
 *
 * <p>Thread-safe: stateless; works on immutable snapshots.
 */
final class MlflowJson {

    private MlflowJson() {}

    static ObjectNode object() {
        return JsonHttp.MAPPER.createObjectNode();
    }

    /** {@code {"error_code": ..., "message": ...}}. */
    static ObjectNode error(String errorCode, String message) {
        return object().put("error_code", errorCode).put("message", message);
    }

    static ObjectNode experiment(ExperimentSnapshot experiment) {
        ObjectNode json = object()
                .put("experiment_id", experiment.experimentId())
                .put("name", experiment.name())
                .put("artifact_location", experiment.artifactLocation())
                .put("lifecycle_stage", experiment.lifecycleStage())
                .put("last_update_time", experiment.lastUpdateTime())
                .put("creation_time", experiment.creationTime());
        putKeyValues(json, "tags", experiment.tags());
        return json;
    }

    /** {@code RunInfo}: both {@code run_id} and the deprecated {@code run_uuid}, as MLflow sends. */
    static ObjectNode runInfo(RunSnapshot run) {
        ObjectNode json = object()
                .put("run_uuid", run.runId())
                .put("experiment_id", run.experimentId())
                .put("run_name", run.runName());
        if (run.userId() != null) {
            json.put("user_id", run.userId());
        }
        json.put("status", run.status()).put("start_time", run.startTime());
        if (run.endTime() != null) {
            json.put("end_time", run.endTime());
        }
        return json.put("artifact_uri", run.artifactUri())
                .put("lifecycle_stage", run.lifecycleStage())
                .put("run_id", run.runId());
    }

    /** {@code Run}: info, data (latest value per metric key, params, tags) and empty inputs. */
    static ObjectNode run(RunSnapshot run) {
        ObjectNode data = object();
        ArrayNode metrics = data.putArray("metrics");
        run.latestMetrics().values().forEach(metric -> metrics.add(metric(metric)));
        if (metrics.isEmpty()) {
            data.remove("metrics");
        }
        putKeyValues(data, "params", run.params());
        putKeyValues(data, "tags", run.tags());
        ObjectNode json = object();
        json.set("info", runInfo(run));
        json.set("data", data);
        json.set("inputs", object());
        return json;
    }

    static ObjectNode metric(RunSnapshot.Metric metric) {
        return object().put("key", metric.key()).put("value", metric.value())
                .put("timestamp", metric.timestamp()).put("step", metric.step());
    }

    /** {@code FileInfo}: directories have no {@code file_size}. */
    static ObjectNode fileInfo(ArtifactStore.Entry entry) {
        ObjectNode json = object().put("path", entry.path()).put("is_dir", entry.directory());
        if (!entry.directory()) {
            json.put("file_size", entry.size());
        }
        return json;
    }

    /** Sets {@code field} to an array of the given objects unless there are none. */
    static ObjectNode putArray(ObjectNode parent, String field, Collection<ObjectNode> items) {
        if (!items.isEmpty()) {
            parent.putArray(field).addAll(items);
        }
        return parent;
    }

    private static void putKeyValues(ObjectNode parent, String field, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        ArrayNode array = parent.putArray(field);
        values.forEach((key, value) -> array.addObject().put("key", key).put("value", value));
    }
}
