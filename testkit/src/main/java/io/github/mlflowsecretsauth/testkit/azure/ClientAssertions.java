package io.github.mlflowsecretsauth.testkit.azure;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;

/**
 * Checks a certificate credential's client assertion the way Entra ID does: a JWT signed (RS256 or PS256)
 * with the key of the certificate registered for the app, {@code iss} and {@code sub} equal to the client
 * id, {@code aud} the tenant's token endpoint, not expired. Signatures are verified with the JDK's own
 * crypto. Stateless.
 */
final class ClientAssertions {
    private ClientAssertions() {
    }

    static boolean valid(String jwt, X509Certificate certificate, String clientId, String tenantId, Instant now) {
        if (jwt == null || certificate == null) {
            return false;
        }
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = JsonHttp.MAPPER.readTree(b64.decode(parts[0]));
            JsonNode claims = JsonHttp.MAPPER.readTree(b64.decode(parts[1]));
            Signature verifier = switch (header.path("alg").asText()) {
                case "RS256" -> Signature.getInstance("SHA256withRSA");
                case "PS256" -> {
                    Signature s = Signature.getInstance("RSASSA-PSS");
                    s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                    yield s;
                }
                default -> null;
            };
            if (verifier == null) {
                return false;
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(b64.decode(parts[2]))
                    && clientId.equals(claims.path("iss").asText()) && clientId.equals(claims.path("sub").asText())
                    && claims.path("aud").asText().endsWith("/" + tenantId + "/oauth2/v2.0/token")
                    && claims.path("exp").asLong() > now.getEpochSecond();
        } catch (GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
