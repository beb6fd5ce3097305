package io.github.mlflowsecretsauth.testkit.s3;

import java.util.Optional;

/**
 * One request that reached {@link S3Gateway}, as recorded before it was forwarded (or refused).
 *
 * @param method      HTTP method
 * @param operation   the S3 operation the request is ({@code PutObject}, {@code UploadPart}, {@code GetObject},
 *                    {@code ListObjectsV2}, ...), derived from method, path and query as S3 routes them
 * @param bucket      the bucket (path-style), or {@code ""}
 * @param key         the object key, decoded, or {@code ""}
 * @param accessKeyId the access key id named in the request's {@code Credential=}, if any
 * @param signature   the outcome of the SigV4 check ({@code VALID}, {@code UNKNOWN_KEY}, {@code BAD_SIGNATURE}, ...)
 */
public record S3Call(String method, String operation, String bucket, String key, Optional<String> accessKeyId,
                     String signature) {

    /** Whether the signature checked out against the key's secret. */
    public boolean authenticated() {
        return "VALID".equals(signature);
    }
}
