package io.github.mlflowsecretsauth.error;

/**
 * The MLflow server rejected the credential even after one refresh: the seed's
 * {@code MLflow authentication error (HTTP 401): Invalid credentials} or {@code (HTTP 403): Access
 * forbidden}, with hints. Not retried.
 */
public class MlflowAuthenticationException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public MlflowAuthenticationException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** 401 or 403. */
    public int status() {
        return status;
    }
}
