package io.github.mlflowsecretsauth.aws.client;

import io.github.mlflowsecretsauth.internal.HttpStatuses;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.redact.Redactor;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the failures every AWS service shares into the project's exceptions, with one-line messages
 * that name the credential source (never a key) and say what to check: bad or unknown keys, bad
 * signatures, expired session tokens, no credentials at all, throttling, server errors and network
 * trouble. Service-specific errors (not found, access denied on a resource) are mapped by the
 * service's own code first. Thread-safe (stateless).
 */
public final class AwsFailures {
    private static final Set<String> UNKNOWN_KEY = Set.of("UnrecognizedClientException", "InvalidClientTokenId");
    private static final Set<String> BAD_SIGNATURE = Set.of("InvalidSignatureException", "SignatureDoesNotMatch",
            "IncompleteSignatureException", "IncompleteSignature", "MissingAuthenticationTokenException", "MissingAuthenticationToken");
    private static final Set<String> EXPIRED = Set.of("ExpiredTokenException", "ExpiredToken", "RequestExpired");
    private static final Set<String> THROTTLED = Set.of("ThrottlingException", "Throttling", "TooManyRequestsException",
            "RequestLimitExceeded", "ProvisionedThroughputExceededException", "SlowDown");

    private AwsFailures() {
    }

    /**
     * The project exception for {@code e}, if it is one of the shared failures.
     *
     * @param service     e.g. {@code AWS Secrets Manager}
     * @param action      what was being done, e.g. {@code reading 'prod/mlflow/auth' in us-east-1}
     * @param endpoint    where the client sends requests, for network messages
     * @param credentials the credentials that signed the request
     */
    public static Optional<SecretsAuthException> shared(SdkException e, String service, String action, String endpoint,
                                                        ProjectAwsCredentials credentials) {
        return shared(e, service, action, endpoint, credentials, null);
    }

    /**
     * Like {@link #shared(SdkException, String, String, String, ProjectAwsCredentials)}, for a client built by
     * {@link AwsSdkClients} with the total deadline {@code deadline}: a call that passed it is named with the
     * deadline and {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}.
     */
    public static Optional<SecretsAuthException> shared(SdkException e, String service, String action, String endpoint,
                                                        ProjectAwsCredentials credentials, Duration deadline) {
        String context = action.isEmpty() ? "" : " when " + action;
        if (e instanceof AwsServiceException ase) {
            return Optional.ofNullable(service(ase, service, context, credentials));
        }
        String late = service + " at " + endpoint + (deadline == null ? " did not answer in time"
                : " did not answer within " + deadline.toSeconds() + " s (" + ConfigKeys.FETCH_TIMEOUT_SEC + ")") + context;
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return Optional.of(new BackendUnavailableException(late, e));
        }
        if (e instanceof SdkClientException) {
            return Optional.of(client((SdkClientException) e, service, context, endpoint, credentials, late));
        }
        return Optional.empty();
    }

    /** The error code AWS answered, or {@code ""}. */
    public static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    /** AWS's error message made safe for a one-line message (control characters out, length capped). */
    public static String message(AwsServiceException e) {
        String m = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return m == null ? "" : Redactor.oneLine(m, 200);
    }

    private static SecretsAuthException service(AwsServiceException e, String service, String context, ProjectAwsCredentials c) {
        String code = code(e);
        String from = "the credentials from " + c.sourceLabel();
        if (UNKNOWN_KEY.contains(code)) {
            return new AccessDeniedException(service + " does not recognise the access key of " + from + " (" + code
                    + ")" + context + ": check " + c.keyVariables() + (c.hasSessionToken() ? " (temporary keys need their current session token)" : ""));
        }
        if (EXPIRED.contains(code)) {
            return new AccessDeniedException("the session token of " + from + " has expired (" + code + ")" + context + ": renew the temporary credentials"
                    + (c.hasSessionToken() ? " in " + c.keyVariables() : ""));
        }
        if (BAD_SIGNATURE.contains(code)) {
            String detail = message(e);
            if (detail.contains("scoped to a valid region") || detail.contains("scoped to correct service")) {
                return new ConfigurationException(service + " refused the request's credential scope (" + code + ": " + detail
                        + ")" + context + ": check the region and the endpoint URL");
            }
            return new AccessDeniedException(service + " rejected the request signature made with " + from + " (" + code
                    + ")" + context + ": check that the secret access key belongs to the access key id (" + c.keyVariables()
                    + ") and that this machine's clock is right");
        }
        if (THROTTLED.contains(code) || e.statusCode() == 429 || e.isThrottlingException()) {
            return new BackendUnavailableException(service + " is throttling requests (" + (code.isEmpty() ? "HTTP " + e.statusCode() : code)
                    + ")" + context + ": will retry with backoff", e, true, retryAfter(e).orElse(null));
        }
        if (HttpStatuses.isTransient(e.statusCode())) {
            return new BackendUnavailableException(service + " answered HTTP " + e.statusCode() + (code.isEmpty() ? "" : " (" + code + ")") + context,
                    e, true, retryAfter(e).orElse(null));
        }
        return null;
    }

    private static SecretsAuthException client(SdkClientException e, String service, String context, String endpoint,
                                               ProjectAwsCredentials c, String late) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        if (text.startsWith("Unable to load credentials") || text.contains("Unable to load credentials from any of the providers")) {
            return new ConfigurationException("no AWS credentials found (" + c.sourceLabel() + " has none)" + context + ": set "
                    + "MLFLOW_AWS_ACCESS_KEY_ID and MLFLOW_AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or attach a role");
        }
        if (text.startsWith(ProjectAwsCredentials.DEFAULT_CHAIN_LATE)) {
            return new BackendUnavailableException(text + context, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                return new BackendUnavailableException("cannot resolve the host of " + service + " (" + endpoint
                        + ")" + context + ": check the region, AWS_ENDPOINT_URL and DNS", e);
            }
            if (t instanceof ConnectException) {
                return new BackendUnavailableException("cannot connect to " + service + " at " + endpoint
                        + " (connection refused)" + context + ": check AWS_ENDPOINT_URL and the network", e);
            }
            if (t instanceof SocketTimeoutException || t instanceof InterruptedIOException) {
                return new BackendUnavailableException(late, e);
            }
            if (t instanceof SSLException) {
                return new BackendUnavailableException("TLS with " + service + " at " + endpoint + " failed ("
                        + Redactor.oneLine(String.valueOf(t.getMessage()), 120) + ")" + context + ": check the endpoint and the trusted CAs", e, false, null);
            }
        }
        return new BackendUnavailableException("talking to " + service + " at " + endpoint + " failed ("
                + Redactor.oneLine(text, 160) + ")" + context, e);
    }

    private static Optional<Duration> retryAfter(AwsServiceException e) {
        if (e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null) {
            return Optional.empty();
        }
        return e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After").flatMap(v -> {
            try {
                long s = Long.parseLong(v.strip());
                return s >= 0 ? Optional.of(Duration.ofSeconds(s)) : Optional.empty();
            } catch (NumberFormatException ex) {
                return Optional.empty();
            }
        });
    }
}
