package io.github.mlflowsecretsauth.tracking.memory;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A read-only copy of one run as {@link MlflowServer} holds it, for assertions in tests. Every
 * logged metric value is kept in {@link #metrics()}, in arrival order, so a retried
 * {@code log-metric} shows up twice; {@link #paramWrites()} and {@link #tagWrites()} count how
 * often each key was written, because re-logging an identical param succeeds silently in MLflow.
 *
 * <p>Thread-safe: immutable.
 *
 * @param runId the run's id (32 hex digits)
 * @param experimentId the experiment it belongs to
 * @param runName the run name (also the {@code mlflow.runName} tag)
 * @param userId the {@code user_id} the client sent, or {@code null}
 * @param status {@code RUNNING}, {@code SCHEDULED}, {@code FINISHED}, {@code FAILED} or {@code KILLED}
 * @param startTime epoch milliseconds
 * @param endTime epoch milliseconds, or {@code null} while not set
 * @param artifactUri {@code <experiment artifact location>/<run id>/artifacts}
 * @param lifecycleStage always {@code active}
 * @param params param key to value, unmodifiable
 * @param tags tag key to value, unmodifiable
 * @param metrics every logged metric value, oldest first, unmodifiable
 * @param paramWrites param key to how many times a client logged it, unmodifiable
 * @param tagWrites tag key to how many times a client set it, unmodifiable
 */
public record RunSnapshot(String runId, String experimentId, String runName, String userId, String status,
                          long startTime, Long endTime, String artifactUri, String lifecycleStage,
                          Map<String, String> params, Map<String, String> tags, List<Metric> metrics,
                          Map<String, Integer> paramWrites, Map<String, Integer> tagWrites) {

    /** Copies the collections. */
    public RunSnapshot {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        metrics = List.copyOf(metrics);
        paramWrites = Collections.unmodifiableMap(new LinkedHashMap<>(paramWrites));
        tagWrites = Collections.unmodifiableMap(new LinkedHashMap<>(tagWrites));
    }

    /** The values logged for one metric key, oldest first. */
    public List<Metric> metricHistory(String key) {
        return metrics.stream().filter(metric -> metric.key().equals(key)).toList();
    }

    /**
     * The value MLflow reports for each metric key in a run's data: the one with the largest step,
     * then the latest timestamp, then the largest value.
     */
    public Map<String, Metric> latestMetrics() {
        Comparator<Metric> order = Comparator.comparingLong(Metric::step).thenComparingLong(Metric::timestamp)
                .thenComparingDouble(Metric::value);
        Map<String, Metric> latest = new LinkedHashMap<>();
        for (Metric metric : metrics) {
            latest.merge(metric.key(), metric, (a, b) -> order.compare(b, a) >= 0 ? b : a);
        }
        return Collections.unmodifiableMap(latest);
    }

    /**
     * One logged metric value.
     *
     * @param key metric key
     * @param value the value (may be NaN or infinite)
     * @param timestamp epoch milliseconds the client gave
     * @param step the step, 0 when the client gave none
     */
    public record Metric(String key, double value, long timestamp, long step) {}
}
