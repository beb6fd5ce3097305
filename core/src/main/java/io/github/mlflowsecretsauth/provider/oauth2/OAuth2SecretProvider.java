package io.github.mlflowsecretsauth.provider.oauth2;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Mints an access token with the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) at each {@link #fetch()}: one
 * form POST to the token endpoint ({@link Endpoints}) with the client authenticated as {@link ClientAuth} says, and
 * {@code scope}, {@code audience} and {@code resource} when set. The token goes out as a {@link SecretValue} that
 * expires when the IdP says ({@link TokenAnswer}), so the engine refreshes it ahead of that and never serves it past
 * it. Thread-safe; the engine never runs two fetches at once.
 */
final class OAuth2SecretProvider implements SecretProvider {
    private static final Logger LOG = LoggerFactory.getLogger(OAuth2SecretProvider.class);

    private final OAuth2Config config;
    private final OAuth2Http http;
    private final Endpoints endpoints;
    private final Optional<ClientAssertion> assertion;
    private final Optional<StoredClientCredentials> stored;
    private final Clock clock;
    private final KnownSecrets known;
    private volatile TokenAnswer.Minted last;

    OAuth2SecretProvider(OAuth2Config config, OAuth2Http http, Optional<ClientAssertion> assertion,
                         Optional<StoredClientCredentials> stored, Clock clock, KnownSecrets known) {
        this.config = config;
        this.http = http;
        this.endpoints = new Endpoints(config, http);
        this.assertion = assertion;
        this.stored = stored;
        this.clock = clock;
        this.known = known;
    }

    @Override
    public String name() {
        return "oauth2";
    }

    @Override
    public SecretValue fetch() {
        URI endpoint = endpoints.tokenEndpoint();
        ClientCredentials client = stored.map(StoredClientCredentials::read)
                .orElseGet(() -> new ClientCredentials(config.clientId().orElseThrow(), config.clientSecret()));
        // Again at each token: the registry keeps only its newest values, and every token and assertion is one.
        client.secret().ifPresent(known::add);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        config.scope().ifPresent(s -> form.put("scope", s));
        config.audience().ifPresent(a -> form.put("audience", a));
        config.resource().ifPresent(r -> form.put("resource", r));
        Optional<String> authorization = Optional.empty();
        switch (config.clientAuth()) {
            case CLIENT_SECRET_BASIC -> {
                // RFC 6749 §2.3.1: each part form-url-encoded before the Basic encoding.
                String pair = OAuth2Http.encode(client.id()) + ":" + OAuth2Http.encode(client.secret().orElseThrow());
                authorization = Optional.of("Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
            }
            case CLIENT_SECRET_POST -> {
                form.put("client_id", client.id());
                form.put("client_secret", client.secret().orElseThrow());
            }
            case PRIVATE_KEY_JWT -> {
                String jwt = assertion.orElseThrow().sign(client.id(), endpoint.toString());
                known.add(jwt);
                form.put("client_id", client.id());
                form.put("client_assertion_type", ClientAssertion.TYPE);
                form.put("client_assertion", jwt);
            }
        }
        Instant requestedAt = clock.instant();
        OAuth2Http.Answer answer = http.postForm(endpoint, form, authorization, endpoints.setting());
        TokenAnswer.Minted minted = TokenAnswer.read(answer, client.id(), Endpoints.display(endpoint), endpoints.setting(), config,
                requestedAt, known);
        last = minted;
        LOG.debug("minted an access token for client {} at {}, expiring at {}", client.id(), Endpoints.display(endpoint),
                minted.expiresAt());
        return SecretValue.ofFields(Map.of("token", minted.accessToken()), "oauth2:" + Endpoints.display(endpoint) + " (client "
                + client.id() + ")", null).expiringAt(minted.expiresAt());
    }

    /**
     * The configuration, and the facts of the last token for {@code doctor}: issuer, subject, audience, scopes and
     * expiry, never the token.
     */
    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("token endpoint", endpoints.known().map(Endpoints::display).orElse("(by discovery)"));
        config.issuerUrl().ifPresent(i -> d.put("issuer", Endpoints.display(i)));
        d.put("client id", config.clientId().orElse("(from the stored secret)"));
        d.put("client auth", config.clientAuth().id() + assertion.map(a -> " (" + a.algorithm() + ")").orElse(""));
        stored.ifPresent(s -> d.put("client credentials from", s.providerName()));
        config.scope().ifPresent(s -> d.put("scope", s));
        config.audience().ifPresent(a -> d.put("audience", a));
        config.resource().ifPresent(r -> d.put("resource", r));
        config.caBundle().ifPresent(c -> d.put("CA bundle", c.toString()));
        TokenAnswer.Minted m = last;
        if (m != null) {
            m.claims().ifPresent(c -> claims(d, c));
            m.grantedScope().ifPresent(s -> d.putIfAbsent("token scopes", s));
            d.put("token expires at", m.expiresAt().toString());
        }
        return d;
    }

    private static void claims(Map<String, String> d, JWTClaimsSet c) {
        Optional.ofNullable(c.getIssuer()).ifPresent(i -> d.put("token issuer", i));
        Optional.ofNullable(c.getSubject()).ifPresent(s -> d.put("token subject", s));
        if (c.getAudience() != null && !c.getAudience().isEmpty()) {
            d.put("token audience", String.join(", ", c.getAudience()));
        }
        if (!TokenAnswer.scopes(c).isEmpty()) {
            d.put("token scopes", String.join(" ", TokenAnswer.scopes(c)));
        }
    }

    @Override
    public void close() {
        stored.ifPresent(StoredClientCredentials::close);
    }

    @Override
    public String toString() {
        return "OAuth2SecretProvider{" + config + "}";
    }
}
