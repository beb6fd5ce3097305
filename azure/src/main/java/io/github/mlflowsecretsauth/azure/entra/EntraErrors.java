package io.github.mlflowsecretsauth.azure.entra;

import com.azure.identity.CredentialUnavailableException;
import io.github.mlflowsecretsauth.azure.AzureConfigKeys;
import io.github.mlflowsecretsauth.azure.identity.IdentityFailures;
import io.github.mlflowsecretsauth.azure.identity.IdentitySource;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.internal.Causes;
import java.io.IOException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Maps a failed Entra ID token request to the project's exceptions: one line naming the scope
 * ({@code MLFLOW_ENTRA_ID_SCOPE}), the identity source and Entra ID's {@code AADSTS} code, never a secret or token.
 * A scope Entra ID does not know (AADSTS70011, AADSTS500011) is a configuration error; a refused identity is
 * {@link AccessDeniedException}; a deadline or network failure is a transient {@link BackendUnavailableException};
 * a TLS trust failure is not transient and names {@code MLFLOW_AZURE_CA_BUNDLE_PATH}. Stateless.
 */
final class EntraErrors {
    /** Entra ID's codes for a scope or resource it does not know. */
    private static final Set<String> BAD_SCOPE = Set.of("AADSTS70011", "AADSTS500011", "AADSTS28000", "AADSTS28003");

    private EntraErrors() {
    }

    static SecretsAuthException map(RuntimeException e, String scope, IdentitySource identity) {
        String what = "a Microsoft Entra ID token for " + scope + " (" + EntraProviderFactory.SCOPE + ")";
        Optional<SSLException> tls = Causes.find(e, SSLException.class);
        if (tls.isPresent()) {
            return new BackendUnavailableException("TLS with the Entra ID token endpoint failed (" + tls.get().getClass()
                    .getSimpleName() + ") getting " + what + ": if a proxy or private CA signs its certificate, set "
                    + AzureConfigKeys.CA_BUNDLE_PATH + " to that CA's PEM file", e, false, null);
        }
        Optional<HttpTimeoutException> late = Causes.find(e, HttpTimeoutException.class);
        if (late.isPresent() && !(late.get() instanceof HttpConnectTimeoutException)) {
            return new BackendUnavailableException(late.get().getMessage() + " getting " + what, e); // the deadline's one line
        }
        if (e instanceof CredentialUnavailableException) {
            return new AccessDeniedException("no Azure identity is available to DefaultAzureCredential for " + what + " (tried "
                    + identity + "): set " + AzureConfigKeys.TENANT_ID + ", " + AzureConfigKeys.CLIENT_ID + " and "
                    + AzureConfigKeys.CLIENT_SECRET + ", run on a managed identity, or sign in with az login");
        }
        Optional<String> code = IdentityFailures.aadsts(e);
        if (code.isPresent() && BAD_SCOPE.contains(code.get())) {
            return new ConfigurationException("Entra ID does not know the scope in " + EntraProviderFactory.SCOPE + " ("
                    + scope + ", " + code.get() + "): set it to the MLflow server's application ID URI followed by"
                    + " /.default, e.g. api://<application-id>/.default, and check that the app exposes that API");
        }
        Optional<IOException> io = Causes.find(e, IOException.class);
        if (io.isPresent() && code.isEmpty()) {
            return new BackendUnavailableException("cannot reach the Entra ID token endpoint (" + io.get().getClass()
                    .getSimpleName() + ") getting " + what + " with the identity from " + identity + ": check the network and "
                    + AzureConfigKeys.AUTHORITY_HOST, e);
        }
        if (e instanceof com.azure.core.exception.ClientAuthenticationException || IdentityFailures.isIdentityFailure(e)) {
            return new AccessDeniedException("the Azure identity from " + identity + " could not get " + what
                    + code.map(c -> " (" + c + ")").orElse("") + ": check " + (identity.variables().isEmpty()
                    ? "the managed identity or your az login" : String.join(", ", identity.variables()))
                    + ", the tenant, and that the app may call the MLflow server's API");
        }
        return new BackendUnavailableException("getting " + what + " failed (" + e.getClass().getSimpleName() + ")", e);
    }
}
