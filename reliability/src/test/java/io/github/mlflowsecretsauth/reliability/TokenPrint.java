package io.github.mlflowsecretsauth.reliability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which token a test sent, without the token: its length and the first 12 hex digits of its SHA-256, as
 * {@code length 43, sha256 1a2b3c4d5e6f}. The same print as the shell's
 * {@code printf %s "$T" | sha256sum | cut -c1-12}, so a child can say which token it was given ({@link #SHELL}).
 */
final class TokenPrint {
    /** A shell snippet that prints {@code <length> <sha256 prefix>} of {@code $MLFLOW_TRACKING_TOKEN}. */
    static final String SHELL = "${#MLFLOW_TRACKING_TOKEN} $(printf %s \"$MLFLOW_TRACKING_TOKEN\" | sha256sum | cut -c1-12)";

    private TokenPrint() {
    }

    static String of(String token) {
        return token == null ? "no token" : "length " + token.length() + ", sha256 " + prefix(token);
    }

    /** The child's {@code <length> <prefix>} from {@link #SHELL} in the same form as {@link #of}. */
    static String fromShell(String lengthAndPrefix) {
        String[] p = lengthAndPrefix.strip().split(" ");
        return p.length == 2 ? "length " + p[0] + ", sha256 " + p[1] : "unreadable (" + lengthAndPrefix.length() + " chars)";
    }

    private static String prefix(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
