package io.github.mlflowsecretsauth.provider.oauth2;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code private_key_jwt} client assertion (RFC 7523 §3, OIDC Core §9): a JWT with {@code iss} = {@code sub} =
 * the client id, {@code aud} the token endpoint, a fresh {@code jti}, {@code iat} and a one-minute {@code exp},
 * signed RS256 with an RSA key (ES256 with an EC P-256 key) read from an unencrypted PKCS#8 PEM file
 * ({@code MLFLOW_OAUTH2_CLIENT_KEY_PATH}); {@code kid} from {@code MLFLOW_OAUTH2_CLIENT_KEY_ID}. The key is read once,
 * at start-up. Thread-safe.
 */
final class ClientAssertion {
    static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration LIFETIME = Duration.ofSeconds(60);

    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;
    private final Optional<String> keyId;
    private final Clock clock;

    private ClientAssertion(JWSSigner signer, JWSAlgorithm algorithm, Optional<String> keyId, Clock clock) {
        this.signer = signer;
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.clock = clock;
    }

    static ClientAssertion load(Path pem, Optional<String> keyId, Clock clock) {
        PrivateKey key = readKey(pem);
        try {
            if (key instanceof ECPrivateKey ec) {
                if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": the EC key in " + pem + " is not on P-256: "
                            + "ES256 needs a P-256 key (or use an RSA key, RS256)");
                }
                return new ClientAssertion(new ECDSASigner(ec), JWSAlgorithm.ES256, keyId, clock);
            }
            return new ClientAssertion(new RSASSASigner(key), JWSAlgorithm.RS256, keyId, clock);
        } catch (JOSEException | IllegalArgumentException e) {
            throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": the key in " + pem + " cannot sign RS256 or ES256 "
                    + "(an RSA key of 2048 bits or more, or an EC P-256 key, is needed)");
        }
    }

    /** A new assertion for {@code clientId} addressed to {@code tokenEndpoint}. */
    String sign(String clientId, String tokenEndpoint) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(tokenEndpoint)
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(LIFETIME))).build();
        JWSHeader.Builder header = new JWSHeader.Builder(algorithm);
        keyId.ifPresent(header::keyID);
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the client assertion failed (" + e.getClass().getSimpleName() + ")", e);
        }
        return jwt.serialize();
    }

    String algorithm() {
        return algorithm.getName();
    }

    private static PrivateKey readKey(Path pem) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": cannot read " + pem + " (" + e.getClass().getSimpleName()
                    + "): point it at a readable PEM private key");
        }
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": " + pem + " is a PKCS#1/SEC1 key: convert it to "
                    + "PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem'");
        }
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": " + pem + " is encrypted: store it unencrypted "
                    + "('openssl pkcs8 -topk8 -nocrypt') with permissions only this user can read");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": " + pem + " holds no '-----BEGIN PRIVATE KEY-----' "
                    + "block: point it at the client's PKCS#8 PEM private key");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + 27, end));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": the PEM block in " + pem + " is not valid base64");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new ConfigurationException(OAuth2Config.CLIENT_KEY_PATH + ": " + pem + " holds neither an RSA nor an EC private key");
    }
}
