package io.github.mlflowsecretsauth.testkit.aws;

import java.time.Instant;

/**
 * One version of a stored secret: its id, its value (text or bytes) and when it was created.
 * {@link #toString()} never shows the value.
 *
 * <p>Thread-safe: immutable (the byte array is never handed out).
 */
record SecretVersion(String versionId, String text, byte[] binary, Instant created) {

    boolean sameValue(String otherText, byte[] otherBinary) {
        return java.util.Objects.equals(text, otherText) && java.util.Arrays.equals(binary, otherBinary);
    }

    @Override
    public String toString() {
        return "SecretVersion{" + versionId + ", " + (text != null ? "string" : "binary") + ", " + created + "}";
    }
}
