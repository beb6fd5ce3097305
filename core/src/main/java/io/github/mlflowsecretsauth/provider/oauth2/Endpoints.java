package io.github.mlflowsecretsauth.provider.oauth2;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.HttpStatuses;

import java.net.URI;
import java.util.Optional;

/**
 * Finds the token endpoint: {@code MLFLOW_OAUTH2_TOKEN_URL} as it is, or the {@code token_endpoint} of the issuer's
 * OIDC discovery document ({@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must be the
 * configured one, OIDC Discovery §4.3). A discovered endpoint is kept for the provider's life; a failed discovery is
 * tried again at the next fetch. Thread-safe.
 */
final class Endpoints {
    private final OAuth2Config config;
    private final OAuth2Http http;
    private volatile URI discovered;

    Endpoints(OAuth2Config config, OAuth2Http http) {
        this.config = config;
        this.http = http;
    }

    /** The endpoint's setting, for messages: the token URL, or the issuer it was discovered from. */
    String setting() {
        return config.tokenUrl().isPresent() ? OAuth2Config.TOKEN_URL : OAuth2Config.ISSUER_URL;
    }

    /** The token endpoint if known without a network call. */
    Optional<URI> known() {
        return config.tokenUrl().or(() -> Optional.ofNullable(discovered));
    }

    URI tokenEndpoint() {
        Optional<URI> k = known();
        if (k.isPresent()) {
            return k.get();
        }
        URI issuer = config.issuerUrl().orElseThrow();
        String trimmed = issuer.toString().replaceAll("/+$", "");
        URI doc = URI.create(trimmed + "/.well-known/openid-configuration");
        OAuth2Http.Answer a = http.getJson(doc, "the OIDC discovery document", OAuth2Config.ISSUER_URL);
        if (a.status() != 200) {
            throw new BackendUnavailableException("the OIDC discovery document " + display(doc) + " answered HTTP " + a.status()
                    + ": check " + OAuth2Config.ISSUER_URL + " (the issuer, without /.well-known/...) or set " + OAuth2Config.TOKEN_URL,
                    null, HttpStatuses.isTransient(a.status()), a.retryAfter().orElse(null));
        }
        String said = a.body().path("issuer").asText("").replaceAll("/+$", "");
        if (!said.equals(trimmed)) {
            throw new ConfigurationException("the OIDC discovery document " + display(doc) + " names another issuer ("
                    + display(said) + "): set " + OAuth2Config.ISSUER_URL + " to exactly the issuer the IdP announces");
        }
        String token = a.body().path("token_endpoint").asText("");
        URI endpoint;
        try {
            endpoint = ConfigValues.httpUrl("the token_endpoint of " + display(doc), token);
        } catch (ConfigurationException e) {
            throw new ConfigurationException("the OIDC discovery document " + display(doc) + " has no usable token_endpoint: set "
                    + OAuth2Config.TOKEN_URL + " to the IdP's token endpoint");
        }
        discovered = endpoint;
        return endpoint;
    }

    /** A URL as messages show it: scheme, host, port and path, never a query (it could carry a credential). */
    static String display(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    static String display(String url) {
        try {
            URI u = URI.create(url);
            return u.isAbsolute() ? display(u) : "(not a URL)";
        } catch (IllegalArgumentException e) {
            return "(not a URL)";
        }
    }
}
