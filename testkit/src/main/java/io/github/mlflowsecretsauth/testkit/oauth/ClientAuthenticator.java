package io.github.mlflowsecretsauth.testkit.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/**
 * Authenticates the client of a token request as an authorization server does (RFC 6749 §2.3, RFC 7523 §3):
 * {@code client_secret_basic} (the {@code Authorization: Basic} header, form-url-encoded id and secret),
 * {@code client_secret_post} ({@code client_id} and {@code client_secret} in the body) or {@code private_key_jwt}
 * (an RS256 or ES256 {@code client_assertion} verified against the registered public key, with {@code iss} = {@code sub} =
 * client id, {@code aud} the token endpoint or the issuer, an {@code exp} in the future and a {@code jti} never
 * seen before). Only one method per request. Failures are {@code invalid_client}. Stateless but for the jti set.
 */
final class ClientAuthenticator {
    static final String JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /** The authenticated client and the method it used. */
    record Authenticated(OAuthClient client, String method) {
    }

    private ClientAuthenticator() {
    }

    /** The method a request attempts, for the record even when it fails: one of the three, or {@code none}. */
    static String attempted(String authorization, Map<String, String> form) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "client_secret_basic";
        }
        return form.containsKey("client_assertion") ? "private_key_jwt" : form.containsKey("client_secret") ? "client_secret_post" : "none";
    }

    static Authenticated authenticate(String authorization, Map<String, String> form, OAuthState state, String tokenEndpoint,
                                      String issuer) {
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        boolean post = form.containsKey("client_secret");
        boolean jwt = form.containsKey("client_assertion");
        if ((basic ? 1 : 0) + (post ? 1 : 0) + (jwt ? 1 : 0) > 1) {
            throw OAuthError.invalidRequest("more than one client authentication method was used");
        }
        if (basic) {
            return basic(authorization.substring(6).strip(), state);
        }
        if (post) {
            OAuthClient c = client(form.get("client_id"), state);
            return new Authenticated(checkSecret(c, form.get("client_secret")), "client_secret_post");
        }
        if (jwt) {
            return new Authenticated(assertion(form, state, tokenEndpoint, issuer), "private_key_jwt");
        }
        throw OAuthError.invalidClient("client authentication is required");
    }

    private static Authenticated basic(String encoded, OAuthState state) {
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient("the Basic credentials are not base64");
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            throw OAuthError.invalidClient("the Basic credentials have no ':'");
        }
        // RFC 6749 §2.3.1: id and secret are form-url-encoded before they are put into the Basic header.
        String id = java.net.URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
        String secret = java.net.URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
        return new Authenticated(checkSecret(client(id, state), secret), "client_secret_basic");
    }

    private static OAuthClient client(String id, OAuthState state) {
        if (id == null || id.isEmpty()) {
            throw OAuthError.invalidClient("client_id is missing");
        }
        OAuthClient c = state.clients.get(id);
        if (c == null) {
            throw OAuthError.invalidClient("Invalid client or Invalid client credentials");
        }
        return c;
    }

    private static OAuthClient checkSecret(OAuthClient c, String secret) {
        if (c.secret().isEmpty() || secret == null || !MessageDigest.isEqual(c.secret().get().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            throw OAuthError.invalidClient("Invalid client or Invalid client credentials");
        }
        return c;
    }

    private static OAuthClient assertion(Map<String, String> form, OAuthState state, String tokenEndpoint, String issuer) {
        if (!JWT_BEARER_ASSERTION.equals(form.get("client_assertion_type"))) {
            throw OAuthError.invalidClient("client_assertion_type must be " + JWT_BEARER_ASSERTION);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(form.get("client_assertion"));
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthError.invalidClient("client_assertion is not a signed JWT");
        }
        String id = claims.getIssuer();
        OAuthClient c = client(id, state);
        if (form.containsKey("client_id") && !form.get("client_id").equals(id)) {
            throw OAuthError.invalidClient("client_id does not match the assertion's issuer");
        }
        if (c.publicKey().isEmpty() || !verifies(jwt, c.publicKey().get())) {
            throw OAuthError.invalidClient("Invalid client assertion signature");
        }
        if (!id.equals(claims.getSubject())) {
            throw OAuthError.invalidClient("the assertion's sub must equal its iss (the client id)");
        }
        if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(a -> a.equals(tokenEndpoint) || a.equals(issuer))) {
            throw OAuthError.invalidClient("the assertion's aud must be the token endpoint " + tokenEndpoint);
        }
        Instant now = state.clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(now)) {
            throw OAuthError.invalidClient("the assertion has expired or has no exp");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty()) {
            throw OAuthError.invalidClient("the assertion has no jti");
        }
        if (!state.seenJtis.add(id + " " + jti)) {
            throw OAuthError.invalidClient("the assertion's jti was already used (replayed assertion)");
        }
        return c;
    }

    /** RS256 with an RSA key, ES256 with an EC key; any other pairing fails, as the IdP's registered algorithm would. */
    private static boolean verifies(SignedJWT jwt, PublicKey key) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        try {
            if (JWSAlgorithm.RS256.equals(alg) && key instanceof RSAPublicKey rsa) {
                return jwt.verify(new RSASSAVerifier(rsa));
            }
            if (JWSAlgorithm.ES256.equals(alg) && key instanceof ECPublicKey ec) {
                return jwt.verify(new ECDSAVerifier(ec));
            }
            return false;
        } catch (JOSEException e) {
            return false;
        }
    }
}
