package io.github.mlflowsecretsauth.error;

/** The backend refused our identity or its permissions (HTTP 401/403, bad login). Not retried. */
public class AccessDeniedException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message) {
        super(message);
    }
}
