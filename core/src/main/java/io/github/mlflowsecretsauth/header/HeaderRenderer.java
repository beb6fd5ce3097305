package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.secret.Credential;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Renders a {@link Credential} as a header value for an {@link AuthMode}: {@code Bearer <token>},
 * {@code Basic base64(user:pass)} or the raw token. Rejects anything that could break or inject a
 * header, by {@link CredentialText}'s rule: control characters (CR, LF, NUL...), non-ASCII in a token;
 * also a colon in a Basic username.
 * Errors name the location and the mode variable to change; never a value. Stateless.
 */
public final class HeaderRenderer {
    /** nginx's default limit for one header line is 8 KiB; a longer credential can never be accepted. */
    public static final int MAX_VALUE_LENGTH = 8 * 1024;

    private HeaderRenderer() {
    }

    /**
     * @param modeVariable the setting that chose the mode, e.g. {@code MLFLOW_VAULT_AUTH_MODE}, named in hints
     * @param location     where the secret lives, named in errors
     */
    public static String render(Credential c, AuthMode mode, String modeVariable, String location) {
        String value = renderUnchecked(c, mode, modeVariable, location);
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new MalformedSecretException("the secret at " + location + " renders a header value of " + value.length()
                    + " characters, too long for an HTTP header (at most " + MAX_VALUE_LENGTH + "): store only the credential");
        }
        return value;
    }

    private static String renderUnchecked(Credential c, AuthMode mode, String modeVariable, String location) {
        String where = "the secret at " + location;
        switch (mode) {
            case BEARER, RAW -> {
                if (c.token().isEmpty()) {
                    throw new MalformedSecretException(where + " holds a username and password, but " + modeVariable + " is "
                            + mode.id() + ": set " + modeVariable + "=basic, or store a \"token\"");
                }
                String token = checkToken(c.token().get(), where);
                return mode == AuthMode.BEARER ? "Bearer " + token : token;
            }
            case BASIC -> {
                String user;
                String pass;
                if (c.hasUserPassword()) {
                    user = c.username().get();
                    pass = c.password().get();
                } else {
                    String token = c.token().orElse("");
                    int colon = token.indexOf(':');
                    if (colon == 0) {
                        throw new MalformedSecretException(where + ": the \"user:pass\" string has an empty username");
                    }
                    if (colon < 0) {
                        throw new MalformedSecretException(where + " holds a token without a colon, but " + modeVariable
                                + " is basic: store {\"username\":...,\"password\":...} or \"user:pass\", or set "
                                + modeVariable + "=bearer");
                    }
                    user = token.substring(0, colon);
                    pass = token.substring(colon + 1);
                }
                checkNoControl(user, where, "username");
                checkNoControl(pass, where, "password");
                if (user.indexOf(':') >= 0) {
                    throw new MalformedSecretException(where + ": the username contains a colon, which Basic authentication cannot carry");
                }
                return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
            }
            default -> throw new IllegalStateException("unknown mode " + mode);
        }
    }

    private static String checkToken(String token, String where) {
        checkNoControl(token, where, "token");
        String t = token.strip();
        if (t.isEmpty()) {
            throw new MalformedSecretException(where + ": the token is blank");
        }
        if (CredentialText.hasNonAscii(t)) {
            throw new MalformedSecretException(where + ": the token " + CredentialText.Problem.NON_ASCII.text()
                    + ": store it base64-encoded, or use basic mode");
        }
        return t;
    }

    private static void checkNoControl(String value, String where, String field) {
        if (CredentialText.hasControl(value)) {
            throw new MalformedSecretException(where + ": the " + field + " " + CredentialText.Problem.CONTROL.text()
                    + ": remove it from the secret");
        }
    }
}
