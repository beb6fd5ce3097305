package io.github.mlflowsecretsauth.error;

/**
 * The secret was read but cannot become a header: wrong shape for the auth mode, empty, not UTF-8,
 * or carrying control characters. The message names the provider and location, never the value.
 */
public class MalformedSecretException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    public MalformedSecretException(String message) {
        super(message);
    }
}
