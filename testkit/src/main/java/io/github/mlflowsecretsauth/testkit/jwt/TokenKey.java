package io.github.mlflowsecretsauth.testkit.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

/**
 * An RS256 signing key for the testkit's token issuers (a fake Kubernetes API server's service-account tokens,
 * Vault's JWT and Kubernetes auth methods, an OAuth 2.0 token endpoint): it signs claims, publishes its public
 * half as a JWKS, and checks a token's signature. One class, so that every fake issuer signs the same way.
 */
public final class TokenKey {
    private final RSAKey key;

    private TokenKey(RSAKey key) {
        this.key = key;
    }

    /** A fresh 2048-bit RSA key with this key id. */
    public static TokenKey generate(String keyId) {
        try {
            return new TokenKey(new RSAKeyGenerator(2048).keyID(keyId).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    public String keyId() {
        return key.getKeyID();
    }

    /** Signs these claims (RS256, with this key's id in the header). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    /** Signs a token with {@code iss}, {@code sub}, {@code aud}, {@code iat} and {@code exp}, plus extra claims. */
    public String sign(String issuer, String subject, String audience, Instant issuedAt, Instant expiresAt,
                       Map<String, ?> extraClaims) {
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(issuedAt)).expirationTime(Date.from(expiresAt));
        extraClaims.forEach(b::claim);
        return sign(b.build());
    }

    /** The public key as a JWKS document ({@code {"keys":[...]}}). */
    public String jwksJson() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    public RSAKey publicJwk() {
        return key.toPublicJWK();
    }

    /** The token's claims when it parses and this key signed it; empty otherwise (not a JWT, other key, bad signature). */
    public Optional<JWTClaimsSet> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                return Optional.empty();
            }
            return Optional.of(jwt.getJWTClaimsSet());
        } catch (ParseException | JOSEException | IllegalStateException e) {
            return Optional.empty();
        }
    }
}
