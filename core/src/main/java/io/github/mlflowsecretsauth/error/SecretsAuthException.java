package io.github.mlflowsecretsauth.error;

/**
 * Root of every failure this project raises. Unchecked, and its message never contains a secret
 * value: it says what failed, where, and what to do next.
 */
public class SecretsAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretsAuthException(String message) {
        super(message);
    }

    public SecretsAuthException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether trying the same call again later may succeed (network trouble, 5xx, throttling). */
    public boolean isTransient() {
        return false;
    }
}
