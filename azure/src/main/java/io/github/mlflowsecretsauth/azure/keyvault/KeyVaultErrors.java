package io.github.mlflowsecretsauth.azure.keyvault;

import io.github.mlflowsecretsauth.internal.HttpStatuses;
import io.github.mlflowsecretsauth.internal.Causes;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpResponse;
import com.azure.identity.CredentialUnavailableException;
import io.github.mlflowsecretsauth.azure.AzureConfigKeys;
import io.github.mlflowsecretsauth.azure.identity.IdentityFailures;
import io.github.mlflowsecretsauth.azure.identity.IdentitySource;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Maps a failed Key Vault read to the project's exceptions. Each message is one line, names the vault,
 * the secret (and version) and, for identity trouble, the identity source; it carries Key Vault's error
 * codes but never a value or a token:
 * <ul>
 *   <li>404 {@code SecretNotFound}: {@link SecretNotFoundException};</li>
 *   <li>403 {@code Forbidden} with innererror {@code SecretDisabled}: {@link SecretNotFoundException} saying
 *       the version is disabled; any other 403, and 401: {@link AccessDeniedException};</li>
 *   <li>429, 408 and 5xx (503 included), network trouble: transient {@link BackendUnavailableException}
 *       carrying the server's {@code Retry-After}, so the engine backs off and retries;</li>
 *   <li>a token the credential cannot get ({@code CredentialUnavailableException},
 *       {@code ClientAuthenticationException} from Entra ID): {@link AccessDeniedException} naming the
 *       identity source and the AADSTS code if there is one;</li>
 *   <li>a TLS trust failure: not transient, pointing at {@code MLFLOW_AZURE_CA_BUNDLE_PATH}.</li>
 * </ul>
 * Thread-safe (stateless).
 */
final class KeyVaultErrors {
    static final String SERVICE = "Azure Key Vault";

    private KeyVaultErrors() {
    }

    static SecretsAuthException map(RuntimeException e, KeyVaultConfig config, IdentitySource identity) {
        String secret = config.secretForDisplay() + " in " + config.vaultUrl();
        Optional<SSLException> tls = cause(e, SSLException.class);
        if (tls.isPresent()) {
            return new BackendUnavailableException("TLS with " + config.vaultUrl() + " failed (" + tls.get().getClass().getSimpleName()
                    + ") reading " + secret + ": if a proxy or private CA signs its certificate, set " + AzureConfigKeys.CA_BUNDLE_PATH
                    + " to that CA's PEM file", e, false, null);
        }
        Optional<HttpTimeoutException> late = cause(e, HttpTimeoutException.class);
        if (late.isPresent() && !(late.get() instanceof java.net.http.HttpConnectTimeoutException)) {
            return new BackendUnavailableException(late.get().getMessage() + " reading " + secret, e); // the deadline's one line
        }
        if (e instanceof HttpResponseException h && h.getResponse() != null && fromVault(h.getResponse(), config)) {
            return vaultAnswer(h, secret, config, identity);
        }
        if (e instanceof CredentialUnavailableException) {
            return new AccessDeniedException("no Azure identity is available to DefaultAzureCredential for " + secret + " (tried "
                    + identity + "): set " + AzureConfigKeys.TENANT_ID + ", " + AzureConfigKeys.CLIENT_ID + " and "
                    + AzureConfigKeys.CLIENT_SECRET + ", run on a managed identity, or sign in with az login");
        }
        if (e instanceof com.azure.core.exception.ClientAuthenticationException || IdentityFailures.isIdentityFailure(e)) {
            String code = IdentityFailures.aadsts(e).map(c -> " (" + c + ")").orElse("");
            if (cause(e, IOException.class).isPresent() && code.isEmpty()) {
                return new BackendUnavailableException("cannot reach the Azure token endpoint for " + identity + " while reading " + secret
                        + " (" + cause(e, IOException.class).get().getClass().getSimpleName() + "): check the network and "
                        + AzureConfigKeys.AUTHORITY_HOST, e);
            }
            return new AccessDeniedException("the Azure identity from " + identity + " could not get a token for " + SERVICE + code
                    + " reading " + secret + ": check " + (identity.variables().isEmpty() ? "the managed identity or your az login"
                    : String.join(", ", identity.variables())) + " and the tenant");
        }
        Optional<IOException> io = cause(e, IOException.class);
        if (io.isPresent()) {
            return new BackendUnavailableException("cannot reach " + SERVICE + " (" + io.get().getClass().getSimpleName() + ") reading "
                    + secret + ": check " + AzureConfigKeys.VAULT_URL + " and the network", e);
        }
        return new BackendUnavailableException("reading " + secret + " from " + SERVICE + " failed (" + e.getClass().getSimpleName() + ")", e);
    }

    private static SecretsAuthException vaultAnswer(HttpResponseException h, String secret, KeyVaultConfig config, IdentitySource identity) {
        int status = h.getResponse().getStatusCode();
        ErrorCodes codes = ErrorCodes.of(h.getValue());
        if (h instanceof ResourceNotFoundException || status == 404) {
            return new SecretNotFoundException(SERVICE + " has no secret " + secret + " (" + codes.or("SecretNotFound") + "): check "
                    + AzureConfigKeys.SECRET_NAME + (config.version().isPresent() ? " and " + AzureConfigKeys.SECRET_VERSION : "")
                    + ", and " + AzureConfigKeys.VAULT_URL);
        }
        if (status == 403 && "SecretDisabled".equals(codes.inner)) {
            return new SecretNotFoundException("the secret " + secret + " is disabled (" + codes + "): enable it or select another version"
                    + " with " + AzureConfigKeys.SECRET_VERSION);
        }
        if (status == 403) {
            return new AccessDeniedException(SERVICE + " denied reading " + secret + " to the identity from " + identity + " (HTTP 403 "
                    + codes.or("Forbidden") + "): grant that identity the Key Vault Secrets User role on the vault, or Get on secrets "
                    + "in its access policy");
        }
        if (status == 401) {
            return new AccessDeniedException(SERVICE + " rejected the token of the identity from " + identity + " reading " + secret
                    + " (HTTP 401 " + codes.or("Unauthorized") + "): check that the identity belongs to the vault's tenant ("
                    + AzureConfigKeys.TENANT_ID + ")");
        }
        if (HttpStatuses.isTransient(status)) {
            return new BackendUnavailableException(SERVICE + " answered HTTP " + status + " (" + codes.or("no error code") + ") to reading "
                    + secret + (status == 429 ? ": throttled, will back off" : ""), h, true, retryAfter(h.getResponse()).orElse(null));
        }
        if (status == 400) {
            return new ConfigurationException(SERVICE + " refused to read " + secret + " (HTTP 400 " + codes.or("BadParameter") + "): check "
                    + AzureConfigKeys.SECRET_NAME + " and " + AzureConfigKeys.SECRET_VERSION);
        }
        return new BackendUnavailableException(SERVICE + " answered HTTP " + status + " (" + codes.or("no error code") + ") to reading "
                + secret + ": check " + AzureConfigKeys.VAULT_URL, h, false, null);
    }

    private static boolean fromVault(HttpResponse response, KeyVaultConfig config) {
        try {
            java.net.URL url = response.getRequest().getUrl();
            return url.getHost().equalsIgnoreCase(config.vaultUrl().getHost())
                    && (url.getPort() == config.vaultUrl().getPort() || url.getPort() == -1 || config.vaultUrl().getPort() == -1);
        } catch (RuntimeException ex) {
            return false;
        }
    }

    /** {@code Retry-After} in seconds, or Azure's {@code retry-after-ms} / {@code x-ms-retry-after-ms}. */
    static Optional<Duration> retryAfter(HttpResponse r) {
        for (String ms : new String[] {"retry-after-ms", "x-ms-retry-after-ms"}) {
            Optional<Long> v = number(r.getHeaderValue(ms));
            if (v.isPresent()) {
                return Optional.of(Duration.ofMillis(v.get()));
            }
        }
        return number(r.getHeaderValue("Retry-After")).map(Duration::ofSeconds);
    }

    private static Optional<Long> number(String v) {
        if (v == null) {
            return Optional.empty();
        }
        try {
            long n = Long.parseLong(v.strip());
            return n >= 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static <T extends Throwable> Optional<T> cause(Throwable e, Class<T> type) {
        return Causes.find(e, type);
    }

    /** Key Vault's {@code error.code} and {@code error.innererror.code}, from the SDK's parsed error body. */
    private record ErrorCodes(String code, String inner) {
        static ErrorCodes of(Object value) {
            if (value instanceof Map<?, ?> body && body.get("error") instanceof Map<?, ?> error) {
                String code = error.get("code") instanceof String s ? s : null;
                String inner = error.get("innererror") instanceof Map<?, ?> ie && ie.get("code") instanceof String s ? s : null;
                return new ErrorCodes(code, inner);
            }
            return new ErrorCodes(null, null);
        }

        String or(String fallback) {
            return code == null ? fallback : toString();
        }

        @Override
        public String toString() {
            return code == null ? "no error code" : code + (inner == null ? "" : "/" + inner);
        }
    }
}
