package io.github.mlflowsecretsauth.secret;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A secret as a backend returned it: text (JSON or a bare token), named fields (Vault's KV data), or
 * bytes (a binary secret). Carries where it came from, never printed with its value. Immutable.
 */
public final class SecretValue {
    private final String text;
    private final Map<String, Object> fields;
    private final byte[] bytes;
    private final String location;
    private final String version;
    private final Instant expiresAt;
    private final Map<String, String> extraHeaders;

    private SecretValue(String text, Map<String, Object> fields, byte[] bytes, String location, String version,
                        Instant expiresAt, Map<String, String> extraHeaders) {
        this.text = text;
        this.fields = fields;
        this.bytes = bytes;
        this.location = location;
        this.version = version;
        this.expiresAt = expiresAt;
        this.extraHeaders = extraHeaders;
    }

    private SecretValue(String text, Map<String, Object> fields, byte[] bytes, String location, String version) {
        this(text, fields, bytes, location, version, null, Map.of());
    }

    /** Text: a JSON object with token or username/password, or a bare token. */
    public static SecretValue ofText(String text, String location, String version) {
        return new SecretValue(text, null, null, location, version);
    }

    /** Named fields, as a key-value store returns them. */
    public static SecretValue ofFields(Map<String, ?> fields, String location, String version) {
        return new SecretValue(null, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields)), null, location, version);
    }

    /** Binary data: parsed as text if it is UTF-8, else its base64 encoding is the token. */
    public static SecretValue ofBytes(byte[] bytes, String location, String version) {
        return new SecretValue(null, null, bytes.clone(), location, version);
    }

    public Optional<String> text() {
        return Optional.ofNullable(text);
    }

    public Optional<Map<String, Object>> fields() {
        return Optional.ofNullable(fields);
    }

    public Optional<byte[]> bytes() {
        return bytes == null ? Optional.empty() : Optional.of(bytes.clone());
    }

    /** Where the secret lives, e.g. {@code vault:secret/mlflow/auth}. */
    public String location() {
        return location;
    }

    public Optional<String> version() {
        return Optional.ofNullable(version);
    }

    /**
     * The same secret with its own expiry: a token minted by an identity provider (from the token endpoint's
     * {@code expires_in} or the token's {@code exp}). The engine then refreshes it ahead of that instant instead
     * of after {@code MLFLOW_X_TTL_SEC}, and never serves it past the instant, even while the backend fails.
     */
    public SecretValue expiringAt(Instant instant) {
        return new SecretValue(text, fields, bytes, location, version, Objects.requireNonNull(instant, "instant"),
                extraHeaders);
    }

    /**
     * The same secret with headers that are sent beside the credential header, e.g. MLflow's
     * {@code X-MLFLOW-WORKSPACE}. They must not be secret: they are shown in reports as they are.
     */
    public SecretValue withExtraHeaders(Map<String, String> headers) {
        return new SecretValue(text, fields, bytes, location, version, expiresAt,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers)));
    }

    /** When the secret stops being valid, if the backend says (a minted token); empty for a stored secret. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** Non-secret headers to send beside the credential; empty for most providers. */
    public Map<String, String> extraHeaders() {
        return extraHeaders;
    }

    /** Content identity for change detection, without exposing the value. */
    public boolean sameContentAs(SecretValue other) {
        return other != null && java.util.Objects.equals(text, other.text) && java.util.Objects.equals(fields, other.fields)
                && Arrays.equals(bytes, other.bytes) && extraHeaders.equals(other.extraHeaders);
    }

    @Override
    public String toString() {
        String kind = text != null ? "text" : fields != null ? "fields" + fields.keySet() : "bytes";
        return "SecretValue{" + kind + ", location=" + location + (version == null ? "" : ", version=" + version)
                + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "}";
    }
}
