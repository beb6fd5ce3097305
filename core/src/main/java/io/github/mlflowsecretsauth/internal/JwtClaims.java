package io.github.mlflowsecretsauth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claims of a JWT read without checking its signature: this tool only needs to know when a token it was
 * handed expires and whom it names (for reports); the server that receives the token verifies it. Holds no part
 * of the token itself, so it may be shown and logged. Immutable.
 *
 * @param issuer    {@code iss}
 * @param subject   {@code sub}
 * @param audience  {@code aud}, a string or a list in the token
 * @param expiresAt {@code exp}, absent when the token has none
 * @param issuedAt  {@code iat}
 * @param claims    every top-level claim that is a string, a number or a list (joined by spaces); no nested
 *                  objects; for reports
 */
public record JwtClaims(Optional<String> issuer, Optional<String> subject, List<String> audience,
                        Optional<Instant> expiresAt, Optional<Instant> issuedAt, Map<String, String> claims) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    /** Why a text is not a JWT; the message never contains the text. */
    public static final class NotAJwt extends Exception {
        private static final long serialVersionUID = 1L;

        NotAJwt(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Reads the payload of a compact JWS ({@code header.payload.signature}).
     *
     * @throws NotAJwt naming what is wrong (not three parts, not base64url, not a JSON object, a bad {@code exp})
     */
    public static JwtClaims parse(String token) throws NotAJwt {
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new NotAJwt("it is not a JWT (expected three base64url parts separated by dots)");
        }
        JsonNode payload;
        try {
            payload = JSON.readTree(new String(B64URL.decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw new NotAJwt("its payload is not base64url-encoded JSON, so it is not a JWT");
        }
        if (payload == null || !payload.isObject()) {
            throw new NotAJwt("its payload is not a JSON object, so it is not a JWT");
        }
        return new JwtClaims(text(payload, "iss"), text(payload, "sub"), audience(payload.get("aud")),
                instant(payload, "exp"), instant(payload, "iat"), flat(payload));
    }

    private static Optional<String> text(JsonNode payload, String name) {
        JsonNode v = payload.get(name);
        return v != null && v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static List<String> audience(JsonNode aud) {
        List<String> out = new ArrayList<>();
        if (aud != null && aud.isTextual()) {
            out.add(aud.asText());
        } else if (aud != null && aud.isArray()) {
            aud.forEach(a -> {
                if (a.isTextual()) {
                    out.add(a.asText());
                }
            });
        }
        return List.copyOf(out);
    }

    private static Optional<Instant> instant(JsonNode payload, String name) throws NotAJwt {
        JsonNode v = payload.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber() || v.asDouble() < 0 || v.asDouble() > 253402300799d) { // up to year 9999
            throw new NotAJwt("its " + name + " claim is not a number of seconds since 1970");
        }
        return Optional.of(Instant.ofEpochSecond(v.asLong()));
    }

    private static Map<String, String> flat(JsonNode payload) {
        Map<String, String> out = new LinkedHashMap<>();
        payload.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isValueNode() && !v.isNull()) {
                out.put(e.getKey(), v.asText());
            } else if (v.isArray()) {
                List<String> texts = new ArrayList<>();
                v.forEach(x -> texts.add(x.isValueNode() ? x.asText() : "…"));
                out.put(e.getKey(), String.join(" ", texts));
            }
        });
        return Map.copyOf(out);
    }
}
