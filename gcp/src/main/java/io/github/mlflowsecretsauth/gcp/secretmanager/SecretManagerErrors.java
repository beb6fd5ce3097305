package io.github.mlflowsecretsauth.gcp.secretmanager;

import io.github.mlflowsecretsauth.internal.HttpStatuses;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import io.github.mlflowsecretsauth.gcp.credentials.GoogleIdentity;
import io.github.mlflowsecretsauth.redact.Redactor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a failed {@code :access} (Google's {@code {"error":{"code","message","status"}}}) to the
 * project's exceptions. Each message is one line, names the resource and, where it matters, the
 * identity, and says what to do:
 * <ul>
 *   <li>{@code NOT_FOUND}: {@link SecretNotFoundException} (no secret, or no such version);</li>
 *   <li>{@code FAILED_PRECONDITION} on a disabled or destroyed version: {@link SecretNotFoundException}
 *       saying which, and how to recover;</li>
 *   <li>{@code PERMISSION_DENIED}, and {@code UNAUTHENTICATED} after a token refresh: {@link AccessDeniedException};</li>
 *   <li>{@code INVALID_ARGUMENT}: {@link ConfigurationException};</li>
 *   <li>{@code RESOURCE_EXHAUSTED}/429, {@code UNAVAILABLE}/503 and other 5xx: transient
 *       {@link BackendUnavailableException}, retried by the engine with backoff.</li>
 * </ul>
 * Thread-safe (stateless).
 */
final class SecretManagerErrors {
    static final String SERVICE = "Google Secret Manager";
    private static final Pattern STATE = Pattern.compile(".*versions/([^\\]\\s]+)\\] is in (DISABLED|DESTROYED) state.*", Pattern.DOTALL);

    private SecretManagerErrors() {
    }

    static SecretsAuthException map(SecretManagerHttp.Response r, SecretManagerConfig config, GoogleIdentity identity) {
        JsonNode error = r.body().path("error");
        String status = error.path("status").asText("");
        String detail = Redactor.oneLine(error.path("message").asText(""), 200);
        String resource = config.versionResource();
        String code = status.isEmpty() ? "HTTP " + r.status() : status;
        if (r.status() == 404 || status.equals("NOT_FOUND")) {
            boolean versionMissing = detail.startsWith("Secret Version");
            return new SecretNotFoundException(SERVICE + " has no " + (versionMissing ? config.version() + " of the secret "
                    : "secret ") + config.name().resource() + (versionMissing ? "" : " (or it has no versions)") + " (NOT_FOUND): check "
                    + GcpConfigKeys.SECRET_NAME + (versionMissing ? " and " + GcpConfigKeys.SECRET_VERSION : "") + ", and the project (from "
                    + config.name().projectFrom() + ")");
        }
        if (status.equals("FAILED_PRECONDITION")) {
            Matcher m = STATE.matcher(detail);
            if (m.matches()) {
                String version = m.group(1);
                boolean disabled = m.group(2).equals("DISABLED");
                String gcloud = "gcloud secrets versions " + (disabled ? "enable " + version : "add")
                        + " --secret=" + config.name().secret() + " --project=" + config.name().project();
                return new SecretNotFoundException("version " + version + " of " + config.name().resource() + " is "
                        + (disabled ? "disabled" : "destroyed") + " (FAILED_PRECONDITION): " + (disabled ? "enable it (" + gcloud + ")"
                        : "its data is gone; add a new version (" + gcloud + ")") + " or point " + GcpConfigKeys.SECRET_VERSION
                        + " at an enabled version");
            }
            return new ConfigurationException(SERVICE + " refused to read " + resource + " (FAILED_PRECONDITION: " + detail + ")");
        }
        if (r.status() == 403 || status.equals("PERMISSION_DENIED")) {
            return new AccessDeniedException(SERVICE + " denied secretmanager.versions.access on " + resource + " to " + identity.label()
                    + " (PERMISSION_DENIED): grant it roles/secretmanager.secretAccessor on the secret; Google also answers this when "
                    + "the project or secret does not exist, so check " + GcpConfigKeys.SECRET_NAME);
        }
        if (r.status() == 401 || status.equals("UNAUTHENTICATED")) {
            return new AccessDeniedException(SERVICE + " rejected the access token of " + identity.label() + " even after a refresh "
                    + "(UNAUTHENTICATED) when reading " + resource + ": check that these credentials belong to the endpoint's "
                    + "Google Cloud (" + config.endpoint() + ")");
        }
        if (r.status() == 429 || status.equals("RESOURCE_EXHAUSTED")) {
            return new BackendUnavailableException(SERVICE + " is throttling requests (" + code + ") when reading " + resource
                    + ": will retry with backoff", null, true, r.retryAfter().orElse(null));
        }
        if (HttpStatuses.isTransient(r.status())) {
            return new BackendUnavailableException(SERVICE + " at " + config.endpoint() + " answered HTTP " + r.status() + " (" + code
                    + ") to reading " + resource, null, true, r.retryAfter().orElse(null));
        }
        if (status.equals("INVALID_ARGUMENT") || r.status() == 400) {
            return new ConfigurationException(SERVICE + " refused the request for " + resource + " (" + code
                    + (detail.isEmpty() ? "" : ": " + detail) + "): check " + GcpConfigKeys.SECRET_NAME + " and " + GcpConfigKeys.SECRET_VERSION);
        }
        return new BackendUnavailableException(SERVICE + " answered HTTP " + r.status() + " (" + code + (detail.isEmpty() ? "" : ": " + detail)
                + ") to reading " + resource + ": check " + GcpConfigKeys.ENDPOINT, null, false, null);
    }
}
