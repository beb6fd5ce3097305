package io.github.mlflowsecretsauth.provider.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.internal.HttpStatuses;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.redact.Redactor;

import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads a token endpoint's answer (RFC 6749 §5.1, §5.2). A success gives the access token and its expiry: from
 * {@code expires_in}, else the token's own {@code exp} (a JWT's claims are read, not verified: the MLflow server
 * checks them), the earlier of the two when both are there, and no token at all when neither is. An error answer
 * becomes one line naming the client, the endpoint and what to check; the IdP's {@code error_description} is
 * scrubbed of known secrets and cut. Stateless.
 */
final class TokenAnswer {
    /** A minted token with its expiry and the claims a report may show (none of them secret). */
    record Minted(String accessToken, Instant expiresAt, Optional<JWTClaimsSet> claims, Optional<String> grantedScope) {
        @Override
        public String toString() {
            return "Minted{expiresAt=" + expiresAt + "}";
        }
    }

    private TokenAnswer() {
    }

    static Minted read(OAuth2Http.Answer a, String clientId, String endpoint, String endpointSetting, OAuth2Config config,
                       Instant requestedAt, KnownSecrets known) {
        if (a.status() != 200) {
            throw failure(a, clientId, endpoint, endpointSetting, config, known);
        }
        JsonNode b = a.body();
        String token = b.path("access_token").asText("");
        if (token.isEmpty()) {
            throw new MalformedSecretException("the token endpoint " + endpoint + " answered client " + clientId
                    + " without an access_token: check " + endpointSetting + " points at the token endpoint");
        }
        CredentialText.requireFromBackend(token, "the access_token from " + endpoint);
        known.add(token);
        String type = b.path("token_type").asText("Bearer");
        if (!type.equalsIgnoreCase("Bearer")) {
            throw new MalformedSecretException("the token endpoint " + endpoint + " issued client " + clientId + " a token of type "
                    + Redactor.oneLine(type, 20) + ", not Bearer: configure the client at the IdP for Bearer tokens");
        }
        Optional<JWTClaimsSet> claims = claims(token);
        Optional<Instant> fromExpiresIn = expiresIn(b.path("expires_in")).map(requestedAt::plusSeconds);
        Optional<Instant> fromExp = claims.map(JWTClaimsSet::getExpirationTime).map(java.util.Date::toInstant);
        Optional<Instant> expiry = fromExpiresIn.isPresent() && fromExp.isPresent()
                ? Optional.of(fromExpiresIn.get().isBefore(fromExp.get()) ? fromExpiresIn.get() : fromExp.get())
                : fromExpiresIn.or(() -> fromExp);
        if (expiry.isEmpty()) {
            throw new MalformedSecretException("the token endpoint " + endpoint + " gave client " + clientId + " a token without a "
                    + "lifetime (no expires_in, and no exp in the token): configure the IdP to send expires_in");
        }
        Optional<String> granted = b.hasNonNull("scope") ? Optional.of(b.path("scope").asText()) : Optional.empty();
        return new Minted(token, expiry.get(), claims, granted);
    }

    private static Optional<Long> expiresIn(JsonNode n) {
        if (n.isNumber()) {
            return n.asLong() > 0 ? Optional.of(n.asLong()) : Optional.empty();
        }
        if (n.isTextual() && n.asText().matches("[0-9]{1,10}")) { // some IdPs send it as a string
            long v = Long.parseLong(n.asText());
            return v > 0 ? Optional.of(v) : Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<JWTClaimsSet> claims(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            JWT jwt = JWTParser.parse(token);
            return Optional.of(jwt.getJWTClaimsSet());
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static SecretsAuthException failure(OAuth2Http.Answer a, String clientId, String endpoint, String endpointSetting,
                                                OAuth2Config config, KnownSecrets known) {
        // A bare 401 (no RFC 6749 body, e.g. a gateway's or a Basic challenge) refuses the client just the same.
        String error = a.body().path("error").asText(a.status() == 401 ? "invalid_client" : "");
        // Keycloak 26 answers a wrong client secret with 401 unauthorized_client; a 401 is a refused client (RFC 6749 §5.2).
        String kind = a.status() == 401 && error.equals("unauthorized_client") ? "invalid_client" : error;
        String description = Redactor.oneLine(known.scrub(a.body().path("error_description").asText("")), 160);
        String said = error.isEmpty() ? "HTTP " + a.status() : Redactor.oneLine(error, 40) + (description.isEmpty() ? "" : ": " + description);
        String head = "the token endpoint " + endpoint + " refused client " + clientId + " (" + said + "): ";
        if (HttpStatuses.isTransient(a.status()) || error.equals("temporarily_unavailable")) {
            return new BackendUnavailableException("the token endpoint " + endpoint + " could not issue a token for client " + clientId
                    + " (" + said + "); will retry", null, true, a.retryAfter().orElse(null));
        }
        String secret = config.secretFrom().map(p -> "the client secret in " + p + "'s secret").orElse(OAuth2Config.CLIENT_SECRET);
        String check = switch (kind) {
            case "invalid_client" -> config.clientAuth() == ClientAuth.PRIVATE_KEY_JWT
                    ? "check " + OAuth2Config.CLIENT_ID + ", that the IdP holds the public key of " + OAuth2Config.CLIENT_KEY_PATH
                    + config.keyId().map(k -> " (kid " + k + ")").orElse("") + " and that this machine's clock is right"
                    : "check " + OAuth2Config.CLIENT_ID + " and " + secret + ", and that the client is registered for "
                    + OAuth2Config.CLIENT_AUTH + "=" + config.clientAuth().id();
            case "unauthorized_client" -> "allow the client the client-credentials grant (a service account) at the IdP";
            case "invalid_scope" -> "check " + OAuth2Config.SCOPE + " (" + config.scope().orElse("unset")
                    + ") against the scopes the client may ask for";
            case "invalid_target" -> "check " + OAuth2Config.RESOURCE + " and " + OAuth2Config.AUDIENCE;
            case "unsupported_grant_type" -> "check " + endpointSetting + " names the token endpoint of an IdP that offers client credentials";
            case "invalid_request" -> "check " + OAuth2Config.CLIENT_AUTH + ", " + OAuth2Config.SCOPE + ", " + OAuth2Config.AUDIENCE
                    + " and " + OAuth2Config.RESOURCE;
            default -> a.status() == 404 || a.status() == 405 ? "check " + endpointSetting + " names the IdP's token endpoint"
                    : "check the client's configuration at the IdP";
        };
        return new AccessDeniedException(head + check);
    }

    /** The scopes of a JWT's {@code scope} (or {@code scp}) claim, for reports. */
    static List<String> scopes(JWTClaimsSet c) {
        Object s = c.getClaim("scope") != null ? c.getClaim("scope") : c.getClaim("scp");
        if (s instanceof String str) {
            return str.isBlank() ? List.of() : List.of(str.strip().split("\\s+"));
        }
        if (s instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of();
    }
}
