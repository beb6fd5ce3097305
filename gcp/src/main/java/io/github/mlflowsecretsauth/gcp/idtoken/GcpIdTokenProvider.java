package io.github.mlflowsecretsauth.gcp.idtoken;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.api.client.json.webtoken.JsonWebToken;
import com.google.auth.oauth2.IdToken;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import io.github.mlflowsecretsauth.gcp.credentials.GoogleIdentity;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints a Google-signed ID token for the audience on every fetch, through the Google auth library's
 * {@link com.google.auth.oauth2.IdTokenProvider} of the {@link GoogleIdentity}; the token is the credential (sent
 * as {@code Bearer}) and its own {@code exp} its lifetime, so the engine refreshes it ahead of expiry. Failures
 * are the identity's one-line messages, prefixed with the audience setting. {@link #describe()} shows the last
 * token's issuer, audience, subject, e-mail and expiry, never the token. Thread-safe.
 */
final class GcpIdTokenProvider implements SecretProvider {
    private static final Logger LOG = LoggerFactory.getLogger(GcpIdTokenProvider.class);
    private static final String LOCATION_PREFIX = GcpIdTokenProviderFactory.NAME + ":";

    private final String audience;
    private final GoogleIdentity identity;
    private volatile Map<String, String> lastToken = Map.of();

    GcpIdTokenProvider(String audience, GoogleIdentity identity) {
        this.audience = audience;
        this.identity = identity;
    }

    @Override
    public String name() {
        return GcpIdTokenProviderFactory.NAME;
    }

    @Override
    public SecretValue fetch() {
        IdToken token;
        try {
            token = identity.idToken(audience);
        } catch (SecretsAuthException e) {
            throw named(e, prefix());
        }
        JsonWebToken.Payload claims;
        try {
            claims = JsonWebSignature.parse(GsonFactory.getDefaultInstance(), token.getTokenValue()).getPayload();
        } catch (IOException | RuntimeException e) {
            claims = null;
        }
        if (claims == null || claims.getExpirationTimeSeconds() == null) {
            throw new MalformedSecretException(prefix() + identity.label() + " returned an ID token that is not a JWT with exp: check "
                    + "the token endpoint " + identity.idTokenEndpoint());
        }
        Instant exp = Instant.ofEpochSecond(claims.getExpirationTimeSeconds());
        Map<String, String> d = new LinkedHashMap<>();
        d.put("token issuer", String.valueOf(claims.getIssuer()));
        d.put("token audience", String.valueOf(claims.getAudience()));
        d.put("token subject", String.valueOf(claims.getSubject()));
        if (claims.get("email") != null) {
            d.put("token email", String.valueOf(claims.get("email")));
        }
        d.put("token expires", exp.toString());
        lastToken = java.util.Collections.unmodifiableMap(d);
        LOG.debug("minted an ID token for {} with {}, expiring {}", audience, identity.label(), exp);
        return SecretValue.ofText(token.getTokenValue(), LOCATION_PREFIX + audience, null).expiringAt(exp);
    }

    private String prefix() {
        return GcpConfigKeys.ID_TOKEN_AUDIENCE + "=" + audience + ": ";
    }

    /** The same failure, kind and retryability with the setting in front of its one line. */
    static SecretsAuthException named(SecretsAuthException e, String prefix) {
        String m = prefix + e.getMessage();
        if (e instanceof BackendUnavailableException b) {
            return new BackendUnavailableException(m, e.getCause(), b.isTransient(), b.retryAfter().orElse(null));
        }
        if (e instanceof AccessDeniedException) {
            return new AccessDeniedException(m);
        }
        if (e instanceof ConfigurationException) {
            return new ConfigurationException(m, e.getCause());
        }
        if (e instanceof MalformedSecretException) {
            return new MalformedSecretException(m);
        }
        return e;
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("audience", audience + " (" + GcpConfigKeys.ID_TOKEN_AUDIENCE + ")");
        d.putAll(lastToken);
        identity.describe().forEach(d::putIfAbsent);
        return d;
    }

    @Override
    public String toString() {
        return "GcpIdTokenProvider{" + audience + ", " + identity.label() + "}";
    }
}
