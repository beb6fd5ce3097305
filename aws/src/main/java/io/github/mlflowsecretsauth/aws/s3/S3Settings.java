package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.aws.client.EndpointOverride;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.util.Optional;

/**
 * The S3 artifact store's settings, read through {@link Settings}. Names follow MLflow's where MLflow has
 * one. Immutable.
 *
 * @param endpoint      {@code MLFLOW_S3_ENDPOINT_URL}, else {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL};
 *                      path-style addressing when set (S3-compatible stores, tests)
 * @param ignoreTls     {@code MLFLOW_S3_IGNORE_TLS}: trust any certificate of the endpoint
 * @param partSize      {@code MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE}: bytes per part (5 MiB to 5 GiB; default 10 MiB)
 * @param threshold     {@code MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE}: files this large or larger go multipart
 *                      (5 MiB to 512 MiB; default 16 MiB)
 * @param concurrency   {@code MLFLOW_S3_UPLOAD_CONCURRENCY}: parts in flight at once (1-64; default 4)
 * @param maxAttempts   {@code AWS_MAX_ATTEMPTS}: attempts per request, the SDK's standard retries (1-10; default 3)
 * @param timeout       {@code MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT}: seconds a socket read may wait (1-3600; default 120)
 */
public record S3Settings(Optional<EndpointOverride> endpoint, boolean ignoreTls, long partSize, long threshold,
                         int concurrency, int maxAttempts, java.time.Duration timeout) {
    public static final String ENDPOINT_URL = "MLFLOW_S3_ENDPOINT_URL";
    public static final String IGNORE_TLS = "MLFLOW_S3_IGNORE_TLS";
    public static final String CHUNK_SIZE = "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE";
    public static final String MINIMUM_FILE_SIZE = "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE";
    public static final String CONCURRENCY = "MLFLOW_S3_UPLOAD_CONCURRENCY";
    public static final String MAX_ATTEMPTS = "AWS_MAX_ATTEMPTS";
    public static final String ENDPOINT_URL_S3 = "AWS_ENDPOINT_URL_S3";
    public static final String TIMEOUT = "MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT";

    static final long MIB = 1024 * 1024;
    /** S3's smallest part (all but the last) and largest part. */
    static final long MIN_PART = 5 * MIB;
    static final long MAX_PART = 5L * 1024 * MIB;
    static final int MAX_PARTS = 10_000;
    public static final long DEFAULT_PART_SIZE = 10 * MIB;
    public static final long DEFAULT_THRESHOLD = 16 * MIB;
    public static final int DEFAULT_CONCURRENCY = 4;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_TIMEOUT_SEC = 120;

    /** Reads and validates the settings; errors name the variable. */
    public static S3Settings from(Settings s) {
        Optional<EndpointOverride> endpoint = s.get(ENDPOINT_URL).map(v -> new EndpointOverride(ConfigValues.httpUrl(ENDPOINT_URL, v), ENDPOINT_URL))
                .or(() -> EndpointOverride.resolve(s, ENDPOINT_URL_S3));
        boolean ignoreTls = ConfigValues.bool(s, IGNORE_TLS, false);
        long partSize = bytes(s, CHUNK_SIZE, DEFAULT_PART_SIZE, MIN_PART, MAX_PART);
        long threshold = bytes(s, MINIMUM_FILE_SIZE, DEFAULT_THRESHOLD, MIN_PART, 512 * MIB);
        int concurrency = (int) bytes(s, CONCURRENCY, DEFAULT_CONCURRENCY, 1, 64);
        int attempts = (int) bytes(s, MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS, 1, 10);
        long timeout = bytes(s, TIMEOUT, DEFAULT_TIMEOUT_SEC, 1, 3600);
        return new S3Settings(endpoint, ignoreTls, partSize, threshold, concurrency, attempts, java.time.Duration.ofSeconds(timeout));
    }

    private static long bytes(Settings s, String name, long dflt, long min, long max) {
        Optional<String> v = s.get(name);
        if (v.isEmpty()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.get().strip());
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " is not a whole number: use a value from " + min + " to " + max);
        }
        if (n < min || n > max) {
            throw new ConfigurationException(name + " must be from " + min + " to " + max);
        }
        return n;
    }

    /** The part size for a file of {@code size} bytes: the configured one, raised so there are at most 10,000 parts. */
    long partSizeFor(long size) {
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        return Math.max(partSize, needed);
    }
}
