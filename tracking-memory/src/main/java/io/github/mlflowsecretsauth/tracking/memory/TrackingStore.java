package io.github.mlflowsecretsauth.tracking.memory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The in-memory tracking state of {@link MlflowServer}: experiments (with a Default experiment,
 * id {@code "0"}) and runs with their params, tags and metric history. Applies MLflow's rules:
 * unique experiment names, params that cannot change value, the log-batch size limits.
 *
 * <p>Thread-safe: every method holds this store's monitor; callers only get immutable snapshots.
 */
final class TrackingStore {

    private static final String[] ADJECTIVES =
            {"bold", "calm", "eager", "gentle", "merry", "quiet", "sharp", "wise"};
    private static final String[] NOUNS = {"owl", "fox", "hare", "lynx", "moth", "newt", "seal", "wren"};

    private final Clock clock;
    private final Map<String, ExperimentSnapshot> experiments = new LinkedHashMap<>();
    private final Map<String, RunEntry> runs = new LinkedHashMap<>();
    private long nextExperimentId = 1;

    TrackingStore(Clock clock) {
        this.clock = clock;
        long now = clock.millis();
        experiments.put("0",
                new ExperimentSnapshot("0", "Default", "mlflow-artifacts:/0", "active", now, now, Map.of()));
    }

    synchronized String createExperiment(String name, String artifactLocation, Map<String, String> tags) {
        if (experiments.values().stream().anyMatch(experiment -> experiment.name().equals(name))) {
            throw ApiError.alreadyExists("Experiment '" + name + "' already exists.");
        }
        String id = Long.toString(nextExperimentId++);
        String location = artifactLocation == null || artifactLocation.isEmpty() ? "mlflow-artifacts:/" + id
                : artifactLocation;
        long now = clock.millis();
        experiments.put(id, new ExperimentSnapshot(id, name, location, "active", now, now, tags));
        return id;
    }

    synchronized ExperimentSnapshot experiment(String experimentId) {
        ExperimentSnapshot experiment = experiments.get(experimentId);
        if (experiment == null) {
            throw ApiError.notFound("No Experiment with id=" + experimentId + " exists");
        }
        return experiment;
    }

    synchronized Optional<ExperimentSnapshot> experimentByName(String name) {
        return experiments.values().stream().filter(experiment -> experiment.name().equals(name)).findFirst();
    }

    synchronized List<ExperimentSnapshot> experiments() {
        return List.copyOf(experiments.values());
    }

    synchronized RunSnapshot createRun(String experimentId, String userId, Long startTime, String runName,
                                       Map<String, String> tags) {
        ExperimentSnapshot experiment = experiment(experimentId);
        String runId = UUID.randomUUID().toString().replace("-", "");
        String name = runName != null && !runName.isEmpty() ? runName : tags.get(RunEntry.RUN_NAME_TAG);
        if (name == null || name.isEmpty()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            name = ADJECTIVES[random.nextInt(ADJECTIVES.length)] + "-" + NOUNS[random.nextInt(NOUNS.length)]
                    + "-" + random.nextInt(1000);
        }
        RunEntry run = new RunEntry(runId, experimentId, userId, startTime != null ? startTime : clock.millis(),
                experiment.artifactLocation() + "/" + runId + "/artifacts", name);
        tags.forEach(run::setTag);
        run.rename(name);
        runs.put(runId, run);
        return run.snapshot();
    }

    synchronized RunSnapshot updateRun(String runId, String status, Long endTime, String runName) {
        RunEntry run = entry(runId);
        if (status != null) {
            run.status = status;
        }
        if (endTime != null) {
            run.endTime = endTime;
        }
        if (runName != null && !runName.isEmpty()) {
            run.rename(runName);
        }
        return run.snapshot();
    }

    synchronized Optional<RunSnapshot> findRun(String runId) {
        RunEntry run = runs.get(runId);
        return run == null ? Optional.empty() : Optional.of(run.snapshot());
    }

    synchronized RunSnapshot run(String runId) {
        return entry(runId).snapshot();
    }

    synchronized List<RunSnapshot> runs(Collection<String> experimentIds) {
        Set<String> wanted = new HashSet<>(experimentIds);
        List<RunSnapshot> found = new ArrayList<>();
        for (RunEntry run : runs.values()) {
            if (wanted.contains(run.experimentId)) {
                found.add(run.snapshot());
            }
        }
        return found;
    }

    /**
     * Logs metrics, params and tags to a run all or nothing, as MLflow's log-batch does (log-metric,
     * log-parameter and set-tag are batches of one).
     */
    synchronized void logBatch(String runId, List<RunSnapshot.Metric> metrics, Map<String, String> params,
                               List<Map.Entry<String, String>> tags) {
        RunEntry run = entry(runId);
        for (Map.Entry<String, String> param : params.entrySet()) {
            String old = run.params.get(param.getKey());
            if (old != null && !old.equals(param.getValue())) {
                throw ApiError.invalidParameter("Changing param values is not allowed. Param with key='"
                        + param.getKey() + "' was already logged with value='" + old + "' for run ID='" + runId
                        + "'. Attempted logging new value '" + param.getValue() + "'.");
            }
        }
        run.metrics.addAll(metrics);
        params.forEach(run::logParam);
        tags.forEach(tag -> run.setTag(tag.getKey(), tag.getValue()));
    }

    synchronized void deleteTag(String runId, String key) {
        RunEntry run = entry(runId);
        if (run.tags.remove(key) == null) {
            throw ApiError.notFound("No tag with name: " + key + " in run with id " + runId);
        }
    }

    private RunEntry entry(String runId) {
        RunEntry run = runs.get(runId);
        if (run == null) {
            throw ApiError.notFound("Run with id=" + runId + " not found");
        }
        return run;
    }
}
