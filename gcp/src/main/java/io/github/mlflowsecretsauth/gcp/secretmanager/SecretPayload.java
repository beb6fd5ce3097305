package io.github.mlflowsecretsauth.gcp.secretmanager;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The body of a successful {@code :access}: {@code payload.data} (base64) decoded, checked against
 * {@code payload.dataCrc32c} (an int64 sent as a JSON string) with {@link CRC32C} when present, and
 * the version number read from {@code name}. A checksum mismatch means the bytes were damaged on the
 * way: they are dropped unused and the failure is transient (the engine reads again). Messages name
 * the resource, never the data. Stateless.
 */
final class SecretPayload {
    /** The decoded secret and the version it came from. */
    record Decoded(byte[] data, Optional<String> version) {
        @Override
        public String toString() {
            return "Decoded{" + data.length + " bytes, version " + version.orElse("?") + "}";
        }
    }

    private SecretPayload() {
    }

    static Decoded decode(JsonNode body, String resource) {
        JsonNode payload = body.path("payload");
        JsonNode data = payload.path("data");
        if (!data.isTextual()) {
            throw new MalformedSecretException("Secret Manager answered " + resource + " without payload.data: the version holds no "
                    + "readable payload");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(data.asText());
        } catch (IllegalArgumentException e) {
            try {
                bytes = Base64.getUrlDecoder().decode(data.asText());
            } catch (IllegalArgumentException e2) {
                throw new MalformedSecretException("Secret Manager answered " + resource + " with a payload.data that is not base64");
            }
        }
        JsonNode crcNode = payload.path("dataCrc32c");
        if (!crcNode.isMissingNode() && !crcNode.isNull()) {
            long expected;
            try {
                expected = Long.parseLong(crcNode.asText().strip());
            } catch (NumberFormatException e) {
                throw new BackendUnavailableException("Secret Manager answered " + resource + " with a dataCrc32c that is not a "
                        + "number: the response is damaged; the payload was not used", null, true, null);
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            if (crc.getValue() != expected) {
                java.util.Arrays.fill(bytes, (byte) 0);
                // No checksum in the message: a CRC of a short password is a guessing oracle.
                throw new BackendUnavailableException("the payload of " + resource + " failed its CRC32C check (the data received "
                        + "does not match payload.dataCrc32c): it was damaged on the way and was not used", null, true, null);
            }
        }
        String name = body.path("name").asText("");
        int i = name.lastIndexOf("/versions/");
        Optional<String> version = i < 0 ? Optional.empty() : Optional.of(name.substring(i + "/versions/".length()));
        return new Decoded(bytes, version.filter(v -> !v.isEmpty()));
    }
}
