package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.aws.client.AwsFailures;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.redact.Redactor;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps S3 failures to one-line {@link IOException}s that name the bucket and key and the credential
 * <em>source</em> (never a key), and say what to check. Thread-safe (stateless).
 */
public final class S3Errors {
    private S3Errors() {
    }

    /**
     * @param action   what was being done, e.g. {@code uploading 'model.pkl'}
     * @param bucket   the bucket
     * @param key      the object key or prefix ({@code ""} for the bucket itself)
     * @param endpoint where the client sends requests, for network messages
     */
    public static IOException map(SdkException e, String action, String bucket, String key, String endpoint,
                                  ProjectAwsCredentials credentials) {
        String where = "s3://" + bucket + (key.isEmpty() ? "" : "/" + key);
        String from = "the credentials from " + credentials.sourceLabel();
        if (e instanceof AbortedException || e.getCause() instanceof InterruptedException) {
            return new InterruptedIOException(action + " " + where + " was interrupted");
        }
        if (e instanceof AwsServiceException ase) {
            String code = AwsFailures.code(ase);
            int status = ase.statusCode();
            if (code.equals("NoSuchBucket") || (status == 404 && key.isEmpty())) {
                return new FileNotFoundException("the S3 bucket '" + bucket + "' does not exist (NoSuchBucket) when " + action
                        + ": check the bucket in MLFLOW_ARTIFACT_ROOT (or the run's artifact URI) and the region");
            }
            if (code.equals("NoSuchKey") || code.equals("NotFound") || status == 404) {
                return new FileNotFoundException("no S3 object " + where + " (NoSuchKey) when " + action
                        + ": check the artifact path");
            }
            if (code.equals("InvalidAccessKeyId")) {
                return new IOException("S3 does not recognise the access key of " + from + " (InvalidAccessKeyId) when " + action
                        + " " + where + ": check " + credentials.keyVariables(), e);
            }
            if (code.equals("SignatureDoesNotMatch")) {
                return new IOException("S3 rejected the request signature made with " + from + " (SignatureDoesNotMatch) when "
                        + action + " " + where + ": check that the secret access key belongs to the access key id ("
                        + credentials.keyVariables() + ") and that this machine's clock is right", e);
            }
            if (code.equals("SlowDown") || code.equals("Throttling") || code.equals("ThrottlingException") || status == 429
                    || ase.isThrottlingException()) {
                return new IOException("S3 is throttling requests (" + (code.isEmpty() ? "HTTP " + status : code) + ") when " + action
                        + " " + where + ", still after " + "the SDK's retries: retry later, lower " + S3Settings.CONCURRENCY
                        + " or raise " + S3Settings.MAX_ATTEMPTS, e);
            }
            if (code.equals("AccessDenied") || code.equals("AllAccessDisabled") || status == 403) {
                return new IOException("access denied to " + where + " for " + from + " (" + (code.isEmpty() ? "HTTP 403" : code)
                        + ") when " + action + ": check that the IAM policy of these credentials allows s3:ListBucket, "
                        + "s3:GetObject and s3:PutObject on the bucket and prefix", e);
            }
        }
        if (e instanceof SdkClientException sce && sce.getMessage() != null && sce.getMessage().contains("checksum")) {
            return new IOException("the S3 object " + where + " failed its checksum check when " + action
                    + " (the bytes received differ from what S3 stored): retry; if it persists, the object is corrupt", e);
        }
        return AwsFailures.shared(e, "S3", action + " " + where, endpoint, credentials)
                .map(x -> new IOException(x.getMessage(), e))
                .orElseGet(() -> new IOException("S3 failed when " + action + " " + where + ": "
                        + Redactor.oneLine(String.valueOf(e.getMessage()), 200), e));
    }
}
