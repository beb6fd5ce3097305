package io.github.mlflowsecretsauth.azure.entra;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import io.github.mlflowsecretsauth.azure.identity.AzureCredentials;
import io.github.mlflowsecretsauth.azure.identity.IdentitySource;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.internal.JwtClaims;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gets a Microsoft Entra ID access token for the MLflow server's API with {@code DefaultAzureCredential}, through
 * the azure module's deadline-bounded HTTP client, and hands it to the engine with the token's own expiry
 * ({@code AccessToken.getExpiresAt()}), so it is refreshed ahead of it and never served past it. azure-identity
 * keeps its own in-memory token cache, so a refresh ahead that finds the cached token still fresh costs no request
 * to Entra ID. The token is not verified here; its claims are read (when it is a JWT) for reports only.
 * Failures are mapped by {@link EntraErrors}. Thread-safe: the credential is.
 */
final class EntraTokenProvider implements SecretProvider {
    private final List<String> scopes;
    private final IdentitySource identity;
    private final TokenCredential credential;
    private final Optional<String> authorityHost;
    private volatile AccessToken last;

    EntraTokenProvider(List<String> scopes, IdentitySource identity, Settings settings, HttpClient http) {
        this.scopes = scopes;
        this.identity = identity;
        this.credential = AzureCredentials.defaultCredential(settings, http);
        this.authorityHost = AzureCredentials.authorityHost(settings);
    }

    @Override
    public String name() {
        return EntraProviderFactory.NAME;
    }

    @Override
    public SecretValue fetch() {
        AccessToken token;
        try {
            token = credential.getTokenSync(new TokenRequestContext().setScopes(scopes));
        } catch (RuntimeException e) {
            throw EntraErrors.map(e, scope(), identity);
        }
        if (token == null || token.getToken() == null || token.getToken().isBlank() || token.getExpiresAt() == null) {
            throw new BackendUnavailableException("Microsoft Entra ID answered without an access token or its expiry for "
                    + scope() + " (identity from " + identity + ")", null);
        }
        last = token;
        return SecretValue.ofText(token.getToken(), "entra:" + scope(), null).expiringAt(token.getExpiresAt().toInstant());
    }

    private String scope() {
        return String.join(" ", scopes);
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("scope", scope());
        d.put("identity source", identity.label());
        if (!identity.variables().isEmpty()) {
            d.put("identity variables", String.join(", ", identity.variables()));
        }
        authorityHost.ifPresent(h -> d.put("authority host", h));
        AccessToken t = last;
        if (t != null) {
            Optional<JwtClaims> claims = claims(t.getToken());
            claims.ifPresent(c -> {
                d.put("issuer", c.issuer().orElse("(none)"));
                d.put("audience", c.audience().isEmpty() ? "(none)" : String.join(", ", c.audience()));
                d.put("subject", c.subject().orElse("(none)"));
                Optional.ofNullable(c.claims().get("scp")).ifPresent(v -> d.put("scopes", v));
                Optional.ofNullable(c.claims().get("roles")).ifPresent(v -> d.put("roles", v));
            });
            d.put("expires", t.getExpiresAt().toInstant().toString());
        }
        return d;
    }

    private static Optional<JwtClaims> claims(String token) {
        try {
            return Optional.of(JwtClaims.parse(token));
        } catch (JwtClaims.NotAJwt e) {
            return Optional.empty(); // an opaque token: only its expiry is known
        }
    }

    @Override
    public String toString() {
        return "EntraTokenProvider{" + scope() + ", " + identity + "}";
    }

}
