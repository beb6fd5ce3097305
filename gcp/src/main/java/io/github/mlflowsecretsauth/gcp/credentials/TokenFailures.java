package io.github.mlflowsecretsauth.gcp.credentials;

import io.github.mlflowsecretsauth.internal.HttpStatuses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.HttpResponseException;
import com.google.auth.Retryable;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import io.github.mlflowsecretsauth.redact.Redactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * Turns a failure to get an access token (or an ID token) into the project's exceptions, with one-line messages that
 * name the identity source and the token endpoint (never a key, assertion or token) and say what to
 * do: refused credentials are {@link AccessDeniedException}s, an unreachable endpoint or a 5xx/429
 * is a transient {@link BackendUnavailableException}, and no credentials at all (off Google Cloud,
 * nothing configured) is a {@link ConfigurationException}. Thread-safe (stateless).
 */
final class TokenFailures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenFailures() {
    }

    static SecretsAuthException map(IOException e, GoogleIdentity id) {
        return map(e, id, "an access token", id.tokenEndpoint());
    }

    /** {@code what}: {@code an access token} or {@code an ID token}; {@code endpoint}: where it was asked for. */
    static SecretsAuthException map(IOException e, GoogleIdentity id, String what, String endpoint) {
        String who = id.label();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException) {
                if (id.source() == GoogleIdentity.Source.METADATA_SERVER && System.getenv(GcpConfigKeys.METADATA_HOST) == null) {
                    return new ConfigurationException("no Google credentials found: " + GcpConfigKeys.APPLICATION_CREDENTIALS
                            + " is not set, there is no gcloud application-default login, and no metadata server answers (not on "
                            + "Google Cloud): set " + GcpConfigKeys.APPLICATION_CREDENTIALS + " to a service-account key or workload "
                            + "identity federation file, or run gcloud auth application-default login", e);
                }
                return new BackendUnavailableException("cannot resolve the host of the token endpoint " + endpoint + " of " + who
                        + ": check DNS and the network", e);
            }
            if (t instanceof ConnectException) {
                return new BackendUnavailableException("cannot connect to the token endpoint " + endpoint + " of " + who
                        + " (connection refused): check the network" + (id.source() == GoogleIdentity.Source.METADATA_SERVER
                        ? " and " + GcpConfigKeys.METADATA_HOST : ""), e);
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new BackendUnavailableException("connecting to the token endpoint " + endpoint + " of " + who
                        + " timed out: check the network", e);
            }
            if (t instanceof HttpTimeoutException) {
                return new BackendUnavailableException(t.getMessage(), e); // DeadlineHttp's line: the endpoint, the deadline, the setting
            }
            if (t instanceof SocketTimeoutException) {
                return new BackendUnavailableException("the token endpoint " + endpoint + " of " + who + " did not answer in time", e);
            }
            if (t instanceof HttpResponseException h) {
                return http(h, e, endpoint, who, id.type());
            }
        }
        boolean retryable = e instanceof Retryable r && r.isRetryable();
        String detail = Redactor.oneLine(String.valueOf(e.getMessage()), 160);
        if (!retryable && detail.matches(".*(Error code|status code|HTTP) ?(401|403|400).*")) {
            return new AccessDeniedException("getting " + what + " for " + who + " from " + endpoint + " failed (" + detail + "): "
                    + hint(id.type()));
        }
        return new BackendUnavailableException("getting " + what + " for " + who + " from " + endpoint + " failed (" + detail + ")",
                e, retryable, null);
    }

    private static SecretsAuthException http(HttpResponseException h, IOException e, String endpoint, String who, String type) {
        int status = h.getStatusCode();
        String error = "";
        try {
            JsonNode body = h.getContent() == null ? null : JSON.readTree(h.getContent());
            if (body != null && body.isObject()) {
                JsonNode err = body.path("error");
                error = err.isTextual() ? err.asText() + describe(body.path("error_description").asText(""))
                        : err.path("status").asText("") + describe(err.path("message").asText(""));
            }
        } catch (IOException | RuntimeException ignored) {
            // a non-JSON body: the status says enough
        }
        String what = "HTTP " + status + (error.isEmpty() ? "" : " " + error);
        if (HttpStatuses.isTransient(status)) {
            return new BackendUnavailableException("the token endpoint " + endpoint + " answered " + what + " for " + who, e, true, null);
        }
        return new AccessDeniedException("the token endpoint " + endpoint + " refused " + who + " (" + what + "): " + hint(type));
    }

    private static String describe(String text) {
        return text.isBlank() ? "" : ": " + Redactor.oneLine(text, 160);
    }

    private static String hint(String type) {
        return switch (type) {
            case "service_account" -> "the key may be deleted or disabled, or the account removed; create a new key (gcloud iam "
                    + "service-accounts keys create) and point " + GcpConfigKeys.APPLICATION_CREDENTIALS + " at it";
            case "authorized_user" -> "the login may have expired or been revoked; run gcloud auth application-default login again";
            case "external_account", "external_account_authorized_user" -> "check the workload identity pool provider, the subject "
                    + "token source and the audience in the credentials file";
            case "impersonated_service_account" -> "check that the source identity may impersonate the service account "
                    + "(roles/iam.serviceAccountTokenCreator)";
            default -> "check the VM's or workload's service account and that its access scopes include cloud-platform";
        };
    }
}
