package io.github.mlflowsecretsauth.aws.secretsmanager;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.aws.client.AwsFailures;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps a failed {@code GetSecretValue} to the project's exceptions. Each message is one line, names
 * the secret, the region and the credential source (never a key), and says what to check:
 * <ul>
 *   <li>{@code ResourceNotFoundException}: {@link SecretNotFoundException};</li>
 *   <li>{@code AccessDeniedException}, {@code DecryptionFailure} (KMS), unknown keys, bad signatures,
 *       expired tokens: {@link AccessDeniedException};</li>
 *   <li>{@code InvalidRequestException}: {@link SecretNotFoundException} for a secret scheduled for
 *       deletion, else {@link ConfigurationException}, as is {@code InvalidParameterException};</li>
 *   <li>throttling, 5xx and network trouble: transient {@link BackendUnavailableException}, which the
 *       engine retries with backoff.</li>
 * </ul>
 * Thread-safe (stateless).
 */
final class SecretsManagerErrors {
    static final String SERVICE = "AWS Secrets Manager";

    private SecretsManagerErrors() {
    }

    static SecretsAuthException map(SdkException e, SecretsManagerConfig config, ProjectAwsCredentials credentials) {
        String secret = "'" + config.secretId() + "' in " + config.region().id();
        String from = "the credentials from " + credentials.sourceLabel();
        if (e instanceof AwsServiceException ase) {
            String code = AwsFailures.code(ase);
            String detail = AwsFailures.message(ase);
            switch (code) {
                case "ResourceNotFoundException" -> {
                    boolean versionMissing = detail.contains("secret value for");
                    return new SecretNotFoundException(SERVICE + " has no " + (versionMissing ? config.version() + " of the secret "
                            : "secret ") + secret + " (ResourceNotFoundException): check " + AwsConfigKeys.SECRET_ID
                            + (versionMissing ? " and " + AwsConfigKeys.SECRET_VERSION : "") + ", and the region (" + config.regionFrom() + ")");
                }
                case "AccessDeniedException" -> {
                    return new AccessDeniedException(SERVICE + " denied secretsmanager:GetSecretValue on " + secret + " to " + from
                            + " (AccessDeniedException): allow that identity secretsmanager:GetSecretValue on the secret, or check "
                            + credentials.keyVariables());
                }
                case "DecryptionFailure" -> {
                    return new AccessDeniedException(SERVICE + " cannot decrypt " + secret + " with its KMS key (DecryptionFailure): "
                            + "allow the identity of " + from + " kms:Decrypt on the secret's KMS key, and check that the key is enabled");
                }
                case "InvalidRequestException" -> {
                    if (detail.contains("marked for deletion")) {
                        return new SecretNotFoundException("the secret " + secret + " is scheduled for deletion (InvalidRequestException): "
                                + "restore it (aws secretsmanager restore-secret) or point " + AwsConfigKeys.SECRET_ID + " at another secret");
                    }
                    return new ConfigurationException(SERVICE + " refused to read " + secret + " (InvalidRequestException: " + detail
                            + "): check " + AwsConfigKeys.SECRET_ID + " and " + AwsConfigKeys.SECRET_VERSION);
                }
                case "InvalidParameterException", "ValidationException" -> {
                    return new ConfigurationException(SERVICE + " refused the parameters for " + secret + " (" + code + ": " + detail
                            + "): check " + AwsConfigKeys.SECRET_ID + " and " + AwsConfigKeys.SECRET_VERSION);
                }
                default -> {
                    // handled below
                }
            }
            return AwsFailures.shared(e, SERVICE, "reading " + secret, config.endpointForDisplay(), credentials, config.fetchTimeout())
                    .orElseGet(() -> new BackendUnavailableException(SERVICE + " answered HTTP " + ase.statusCode() + " ("
                            + (code.isEmpty() ? "no error code" : code) + (detail.isEmpty() ? "" : ": " + detail) + ") to reading "
                            + secret + ": check " + AwsConfigKeys.SECRET_ID + " and the endpoint", e, false, null));
        }
        return AwsFailures.shared(e, SERVICE, "reading " + secret, config.endpointForDisplay(), credentials, config.fetchTimeout())
                .orElseGet(() -> new BackendUnavailableException("reading " + secret + " from " + SERVICE + " failed ("
                        + e.getClass().getSimpleName() + ")", e));
    }
}
