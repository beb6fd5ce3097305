package io.github.mlflowsecretsauth.tracking.memory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A read-only copy of one experiment as {@link MlflowServer} holds it, for assertions in tests.
 *
 * <p>Thread-safe: immutable.
 *
 * @param experimentId the id, {@code "0"} for the Default experiment
 * @param name the unique name
 * @param artifactLocation the artifact root, {@code mlflow-artifacts:/<id>} unless the client chose one
 * @param lifecycleStage always {@code active} (the store does not delete experiments)
 * @param creationTime epoch milliseconds from the server's clock
 * @param lastUpdateTime epoch milliseconds of the last change
 * @param tags tag key to value, in the order they were first set, unmodifiable
 */
public record ExperimentSnapshot(String experimentId, String name, String artifactLocation, String lifecycleStage,
                                 long creationTime, long lastUpdateTime, Map<String, String> tags) {

    /** Copies the tags. */
    public ExperimentSnapshot {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }
}
