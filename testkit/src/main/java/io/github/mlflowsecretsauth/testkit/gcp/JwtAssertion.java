package io.github.mlflowsecretsauth.testkit.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks the JWT a service account signs for the OAuth2 JWT-bearer grant, as Google's token endpoint
 * does: compact form, {@code alg} RS256, an RS256 signature that verifies with the issuer's public key
 * (JDK {@link Signature}, {@code SHA256withRSA}), {@code aud} the token endpoint, a {@code scope}, and
 * {@code iat}/{@code exp} a short-lived window around the server's time, and a {@code scope} (an access token)
 * or a {@code target_audience} (an ID token). Failures are
 * {@code invalid_grant} with Google's wording. Stateless.
 */
final class JwtAssertion {
    /** The audience the Google auth library always signs for, whatever the key file's token_uri. */
    static final String GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
    private static final long MAX_LIFETIME_SECONDS = 3600;
    private static final long SKEW_SECONDS = 300;

    /**
     * A verified assertion: the service account, the scopes asked for, and the {@code target_audience} of an
     * ID-token request (empty for an access-token request).
     */
    record Verified(ServiceAccount account, String scope, Optional<String> targetAudience) {
    }

    /** An OAuth2 error answer ({@code {"error":..., "error_description":...}}). */
    static final class OAuthError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String error;

        OAuthError(String error, String description) {
            super(description, null, false, false);
            this.error = error;
        }
    }

    private JwtAssertion() {
    }

    static Verified verify(String jwt, Function<String, Optional<ServiceAccount>> accounts, String ownAudience, Instant now) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new OAuthError("invalid_grant", "Invalid JWT: expected header.payload.signature");
        }
        JsonNode header = json(parts[0]);
        JsonNode claims = json(parts[1]);
        if (!"RS256".equals(header.path("alg").asText())) {
            throw new OAuthError("invalid_grant", "Invalid JWT: unsupported algorithm");
        }
        String iss = claims.path("iss").asText("");
        ServiceAccount account = accounts.apply(iss).orElseThrow(() -> new OAuthError("invalid_grant", "Invalid grant: account not found"));
        if (header.hasNonNull("kid") && !header.path("kid").asText().equals(account.privateKeyId())) {
            throw new OAuthError("invalid_grant", "Invalid JWT Signature.");
        }
        if (!signatureValid(parts, account)) {
            throw new OAuthError("invalid_grant", "Invalid JWT Signature.");
        }
        String aud = claims.path("aud").asText("");
        if (!aud.equals(GOOGLE_TOKEN_AUDIENCE) && !aud.equals(ownAudience)) {
            throw new OAuthError("invalid_grant", "Invalid JWT: Failed audience check.");
        }
        long iat = claims.path("iat").asLong(-1);
        long exp = claims.path("exp").asLong(-1);
        long t = now.getEpochSecond();
        if (iat < 0 || exp <= iat || exp - iat > MAX_LIFETIME_SECONDS || iat > t + SKEW_SECONDS || exp < t - SKEW_SECONDS) {
            throw new OAuthError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
                    + "timeframe. Check your iat and exp values in the JWT claim.");
        }
        String scope = claims.path("scope").asText("");
        Optional<String> targetAudience = Optional.of(claims.path("target_audience").asText("")).filter(a -> !a.isBlank());
        if (scope.isBlank() && targetAudience.isEmpty()) {
            throw new OAuthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }
        return new Verified(account, scope, targetAudience);
    }

    /**
     * The account whose self-signed JWT this is, as Google APIs accept one in place of an access token (the Google
     * auth library sends one for a service-account key without scopes): RS256 signed with the account's key,
     * {@code iss} the account, {@code aud} the API's base URL {@code apiAudience} or a {@code scope}, and
     * {@code iat}/{@code exp} a short window around the server's time. Empty when it is none of that.
     */
    static Optional<ServiceAccount> selfSigned(String jwt, Function<String, Optional<ServiceAccount>> accounts, String apiAudience,
                                               Instant now) {
        try {
            String[] parts = jwt == null ? new String[0] : jwt.split("\\.", -1);
            if (parts.length != 3 || !"RS256".equals(json(parts[0]).path("alg").asText())) {
                return Optional.empty();
            }
            JsonNode claims = json(parts[1]);
            Optional<ServiceAccount> account = accounts.apply(claims.path("iss").asText(""));
            long exp = claims.path("exp").asLong(-1);
            long iat = claims.path("iat").asLong(-1);
            long t = now.getEpochSecond();
            boolean audienceOk = claims.path("aud").asText("").equals(apiAudience) || !claims.path("scope").asText("").isBlank();
            if (account.isEmpty() || !signatureValid(parts, account.get()) || !audienceOk || exp <= iat
                    || exp - iat > MAX_LIFETIME_SECONDS || exp < t - SKEW_SECONDS || iat > t + SKEW_SECONDS) {
                return Optional.empty();
            }
            return account;
        } catch (OAuthError e) {
            return Optional.empty();
        }
    }

    private static boolean signatureValid(String[] parts, ServiceAccount account) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(account.publicKey());
            s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return s.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static JsonNode json(String b64) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(b64);
            JsonNode n = JsonHttp.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new OAuthError("invalid_grant", "Invalid JWT: not a JSON object");
            }
            return n;
        } catch (IOException | IllegalArgumentException e) {
            throw new OAuthError("invalid_grant", "Invalid JWT: a segment is not base64url-encoded JSON");
        }
    }
}
