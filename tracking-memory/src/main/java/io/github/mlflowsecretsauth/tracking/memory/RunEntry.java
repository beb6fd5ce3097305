package io.github.mlflowsecretsauth.tracking.memory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run's mutable state inside {@link TrackingStore}.
 *
 * <p>Not thread-safe on its own: every access holds the {@link TrackingStore}'s monitor.
 */
final class RunEntry {

    /** The statuses of MLflow's {@code RunStatus} enum, by protobuf number minus one. */
    static final List<String> STATUSES = List.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED");
    static final Set<String> TERMINAL = Set.of("FINISHED", "FAILED", "KILLED");
    static final String RUN_NAME_TAG = "mlflow.runName";

    final String runId;
    final String experimentId;
    final String userId;
    final long startTime;
    final String artifactUri;
    String runName;
    String status = "RUNNING";
    Long endTime;
    final Map<String, String> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    final List<RunSnapshot.Metric> metrics = new ArrayList<>();
    final Map<String, Integer> paramWrites = new LinkedHashMap<>();
    final Map<String, Integer> tagWrites = new LinkedHashMap<>();

    RunEntry(String runId, String experimentId, String userId, long startTime, String artifactUri, String runName) {
        this.runId = runId;
        this.experimentId = experimentId;
        this.userId = userId;
        this.startTime = startTime;
        this.artifactUri = artifactUri;
        this.runName = runName;
    }

    /** A client's tag write; setting {@code mlflow.runName} renames the run, as in MLflow. */
    void setTag(String key, String value) {
        tags.put(key, value);
        tagWrites.merge(key, 1, Integer::sum);
        if (key.equals(RUN_NAME_TAG)) {
            runName = value;
        }
    }

    void rename(String name) {
        runName = name;
        tags.put(RUN_NAME_TAG, name);
    }

    void logParam(String key, String value) {
        params.put(key, value);
        paramWrites.merge(key, 1, Integer::sum);
    }

    RunSnapshot snapshot() {
        return new RunSnapshot(runId, experimentId, runName, userId, status, startTime, endTime, artifactUri,
                "active", params, tags, metrics, paramWrites, tagWrites);
    }

    /**
     * A status given by name ({@code "FINISHED"}) or protobuf number ({@code 3}).
     *
     * @throws ApiError if it is neither
     */
    static String parseStatus(String value) {
        String upper = value.strip().toUpperCase(java.util.Locale.ROOT);
        if (STATUSES.contains(upper)) {
            return upper;
        }
        try {
            int number = Integer.parseInt(upper);
            if (number >= 1 && number <= STATUSES.size()) {
                return STATUSES.get(number - 1);
            }
        } catch (NumberFormatException e) {
            // Falls through to the error below.
        }
        throw ApiError.invalidParameter("Invalid value \"" + value + "\" for parameter 'status' supplied."
                + " It must be one of " + STATUSES + ".");
    }
}
