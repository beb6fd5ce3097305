package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;

import java.util.Optional;

/**
 * The one rule for credential text that goes on a request: a token, a role or secret id, an access key,
 * a client secret, from any source. A value sent as it is (in a header, or as a JSON string a gateway may
 * echo) must be visible ASCII or a space; a value sent encoded (Basic's base64) must have no control
 * character; neither may be longer than {@link #MAX_LENGTH}. Callers check at the edge where the value
 * enters (a setting, a backend's answer), so the JDK's or Jetty's own "invalid header value" messages,
 * which quote the value, never happen. Messages name the source, never the value. Stateless.
 */
public final class CredentialText {
    /**
     * The longest credential accepted, in characters. Real ones are far shorter: an Entra ID access token
     * with many group claims is about 6 KiB, an AWS session token about 2 KiB, a Vault token under 200
     * bytes. Anything longer is a wrong file or a pasted document, and nginx's default header buffer
     * (8 KiB) would refuse it anyway.
     */
    public static final int MAX_LENGTH = 16 * 1024;

    /** What is wrong with a value; {@link #text} is the phrase after the source's name. */
    public enum Problem {
        CONTROL("contains a control character (CR, LF, NUL or similar), which could inject a header"),
        NON_ASCII("contains a non-ASCII character, which a header value cannot carry safely"),
        TOO_LONG("is longer than " + MAX_LENGTH + " characters, too long for an HTTP header or any real credential");

        private final String text;

        Problem(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private CredentialText() {
    }

    /**
     * For a value sent as it is: only visible ASCII and space (RFC 9110 field-value without obs-text;
     * a tab, which the grammar allows, is refused too, since no credential holds one and a pasted
     * value with one is a mistake).
     */
    public static Optional<Problem> problemAsIs(String value) {
        Optional<Problem> p = problemEncoded(value);
        return p.isPresent() || !hasNonAscii(value) ? p : Optional.of(Problem.NON_ASCII);
    }

    /** For a value sent encoded (a Basic username or password): no control character (C0 or DEL). */
    public static Optional<Problem> problemEncoded(String value) {
        if (value.length() > MAX_LENGTH) {
            return Optional.of(Problem.TOO_LONG);
        }
        return hasControl(value) ? Optional.of(Problem.CONTROL) : Optional.empty();
    }

    /** Whether {@code value} holds a C0 control character or DEL (C1 ones count as non-ASCII for tokens). */
    public static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} holds a character beyond visible ASCII ({@code ~}). */
    public static boolean hasNonAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0x7E) {
                return true;
            }
        }
        return false;
    }

    /** A setting that holds a credential sent as it is ({@code VAULT_TOKEN}, say); empty values pass. */
    public static String requireSetting(String value, String variable) {
        problemAsIs(value).ifPresent(p -> {
            throw new ConfigurationException(variable + " " + p.text() + ": set it to the credential alone (the value is not shown)");
        });
        return value;
    }

    /** Like {@link #requireSetting} for a value sent encoded (a password). */
    public static String requireEncodedSetting(String value, String variable) {
        problemEncoded(value).ifPresent(p -> {
            throw new ConfigurationException(variable + " " + p.text() + ": set it to the credential alone (the value is not shown)");
        });
        return value;
    }

    /** A credential a backend handed back (a login's token), about to be sent as it is; {@code what} names it. */
    public static String requireFromBackend(String value, String what) {
        problemAsIs(value).ifPresent(p -> {
            throw new MalformedSecretException(what + " " + p.text() + ": the backend's answer is not usable (the value is not shown)");
        });
        return value;
    }
}
