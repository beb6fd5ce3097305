package io.github.mlflowsecretsauth.secret;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.error.MalformedSecretException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a {@link SecretValue} into a {@link Credential}. Accepted shapes: a JSON object with
 * {@code token} and/or {@code username} + {@code password}; a bare string (a token, surrounding
 * whitespace such as a file's trailing newline removed); named fields with the same keys; binary
 * data, parsed as text when it is UTF-8 and otherwise used as a token equal to its base64 encoding.
 * Errors name the location and the offending field, never a value (parser messages are dropped,
 * since they quote the input). Stateless and thread-safe.
 */
public final class CredentialParser {
    // Trailing content after the JSON value ({"token":"a"} junk) is an error, not silently dropped.
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** A key shown in an error must look like a field name: a long or odd key may be the secret itself. */
    private static final java.util.regex.Pattern SHOWN_KEY = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,23}");

    private CredentialParser() {
    }

    public static Credential parse(SecretValue secret) {
        String where = "the secret at " + secret.location();
        if (secret.fields().isPresent()) {
            return fromFields(secret.fields().get(), where);
        }
        if (secret.text().isPresent()) {
            return fromText(secret.text().get(), where);
        }
        byte[] bytes = secret.bytes().orElse(new byte[0]);
        Optional<String> utf8 = strictUtf8(bytes);
        if (utf8.isPresent() && utf8.get().chars().noneMatch(c -> Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r')) {
            return fromText(utf8.get(), where);
        }
        if (bytes.length == 0) {
            throw new MalformedSecretException(where + " is empty: store a token or {\"username\":...,\"password\":...}");
        }
        return Credential.ofToken(Base64.getEncoder().encodeToString(bytes));
    }

    private static Credential fromText(String raw, String where) {
        String text = raw.strip();
        if (text.isEmpty()) {
            throw new MalformedSecretException(where + " is empty: store a token or {\"username\":...,\"password\":...}");
        }
        char first = text.charAt(0);
        if (first == '{' || first == '[' || first == '"') {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                if (first == '"') {
                    return Credential.ofToken(text);
                }
                throw new MalformedSecretException(where + " starts like JSON but is not valid JSON: store a JSON object "
                        + "with \"token\" or \"username\" and \"password\", or a bare token");
            }
            if (node.isTextual()) {
                return fromText(node.textValue(), where);
            }
            if (!node.isObject()) {
                throw new MalformedSecretException(where + " is a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                        + ": expected an object with \"token\" or \"username\" and \"password\", or a bare token");
            }
            return fromFields(JSON.convertValue(node, Map.class), where);
        }
        return Credential.ofToken(text);
    }

    private static Credential fromFields(Map<?, ?> fields, String where) {
        Optional<String> token = field(fields, "token", where);
        Optional<String> username = field(fields, "username", where);
        Optional<String> password = field(fields, "password", where);
        if (username.isPresent() != password.isPresent()) {
            throw new MalformedSecretException(where + " has \"" + (username.isPresent() ? "username" : "password")
                    + "\" but no \"" + (username.isPresent() ? "password" : "username") + "\": store both, or a \"token\"");
        }
        if (token.isEmpty() && username.isEmpty()) {
            throw new MalformedSecretException(where + " has no \"token\" and no \"username\"/\"password\" (fields present: "
                    + shownKeys(fields) + "): store one of them");
        }
        return new Credential(token, username, password);
    }

    private static String shownKeys(Map<?, ?> fields) {
        List<String> shown = new ArrayList<>();
        int hidden = 0;
        for (Object k : fields.keySet()) {
            if (SHOWN_KEY.matcher(String.valueOf(k)).matches()) {
                shown.add(String.valueOf(k));
            } else {
                hidden++;
            }
        }
        if (hidden > 0) {
            shown.add(hidden + (hidden == 1 ? " key" : " keys") + " not shown");
        }
        return shown.toString();
    }

    private static Optional<String> field(Map<?, ?> fields, String name, String where) {
        Object v = fields.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new MalformedSecretException(where + ": field \"" + name + "\" must be a string, not "
                    + (v instanceof Map ? "an object" : v instanceof java.util.List ? "a list" : v instanceof Boolean ? "a boolean" : "a number"));
        }
        if (s.isEmpty()) {
            throw new MalformedSecretException(where + ": field \"" + name + "\" is empty");
        }
        return Optional.of(s);
    }

    private static Optional<String> strictUtf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
