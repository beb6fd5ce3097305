package io.github.mlflowsecretsauth.error;

/** The backend answered, but holds no secret at the configured location. Not retried. */
public class SecretNotFoundException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    public SecretNotFoundException(String message) {
        super(message);
    }
}
