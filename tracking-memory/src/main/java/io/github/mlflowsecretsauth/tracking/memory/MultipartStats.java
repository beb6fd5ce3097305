package io.github.mlflowsecretsauth.tracking.memory;

/**
 * Counters of {@link MlflowServer}'s multipart upload endpoints, for tests to assert on.
 *
 * @param enabled             whether the server offers multipart upload (else it answers 501)
 * @param created             uploads created ({@code mpu/create})
 * @param partsStored         parts accepted by the storage endpoint
 * @param completed           uploads completed and assembled ({@code mpu/complete})
 * @param aborted             uploads aborted ({@code mpu/abort})
 * @param refusedCredentials  part requests refused because they carried an {@code Authorization} header
 * @param open                uploads created and neither completed nor aborted
 */
public record MultipartStats(boolean enabled, int created, int partsStored, int completed, int aborted,
                             int refusedCredentials, int open) {}
