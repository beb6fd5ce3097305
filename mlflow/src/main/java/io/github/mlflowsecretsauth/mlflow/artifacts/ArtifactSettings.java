package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.util.Optional;

/**
 * The artifact settings, with MLflow's own names where MLflow has one.
 *
 * @param multipartEnabled {@value #MULTIPART_ENABLED} (default true here; MLflow defaults to false): try MLflow's
 *                         multipart upload endpoints for large files, falling back to one PUT when the server does
 *                         not offer them
 * @param multipartMinimumSize {@value #MULTIPART_MINIMUM_SIZE}: files of at least this many bytes go multipart
 *                         (default 500 MiB, as MLflow)
 * @param chunkSize        {@value #CHUNK_SIZE}: bytes per part (default 10 MiB, as MLflow; at least 5 MiB, the
 *                         S3 minimum)
 * @param parallelism      {@value #PARALLELISM}: parts in flight at once per file (default 4); with the JDK client's
 *                         16 KiB buffers the heap needed is a few buffers per part in flight, whatever the chunk size
 * @param artifactRoot     {@value #ARTIFACT_ROOT}: when set, where the run's artifacts live (see {@link RunArtifactRoot})
 */
public record ArtifactSettings(boolean multipartEnabled, long multipartMinimumSize, long chunkSize, int parallelism,
                               Optional<String> artifactRoot) {
    public static final String MULTIPART_ENABLED = "MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD";
    public static final String MULTIPART_MINIMUM_SIZE = "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE";
    public static final String CHUNK_SIZE = "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE";
    public static final String PARALLELISM = "MLFLOW_SECRETS_AUTH_ARTIFACT_PARALLELISM";
    public static final String ARTIFACT_ROOT = "MLFLOW_ARTIFACT_ROOT";

    static final long MIB = 1024L * 1024;
    /** S3 refuses parts under 5 MiB (except the last), and MLflow's multipart is S3's underneath. */
    static final long MINIMUM_CHUNK = 5 * MIB;

    public ArtifactSettings {
        if (chunkSize < MINIMUM_CHUNK) {
            throw new ConfigurationException(CHUNK_SIZE + " must be at least " + MINIMUM_CHUNK + " bytes (5 MiB, the S3 part minimum)");
        }
        if (parallelism < 1 || parallelism > 64) {
            throw new ConfigurationException(PARALLELISM + " must be between 1 and 64");
        }
    }

    /** MLflow's defaults, with multipart on and no artifact root override. */
    public static ArtifactSettings defaults() {
        return new ArtifactSettings(true, 500 * MIB, 10 * MIB, 4, Optional.empty());
    }

    /** Reads the settings; a malformed value is a {@link ConfigurationException} naming the variable. */
    public static ArtifactSettings from(Settings settings) {
        ArtifactSettings d = defaults();
        long chunk = ConfigValues.positiveLong(settings, CHUNK_SIZE, d.chunkSize(), "a number of bytes");
        long parallel = ConfigValues.positiveLong(settings, PARALLELISM, d.parallelism(), "a whole number");
        return new ArtifactSettings(
                ConfigValues.bool(settings, MULTIPART_ENABLED, d.multipartEnabled()),
                ConfigValues.positiveLong(settings, MULTIPART_MINIMUM_SIZE, d.multipartMinimumSize(), "a number of bytes"),
                chunk, (int) Math.min(parallel, 1000),
                settings.get(ARTIFACT_ROOT).map(String::strip).filter(s -> !s.isEmpty()));
    }

    /** A copy with multipart settings replaced (tests, callers tuning one client). */
    public ArtifactSettings withMultipart(boolean enabled, long minimumSize, long chunk) {
        return new ArtifactSettings(enabled, minimumSize, chunk, parallelism, artifactRoot);
    }
}
