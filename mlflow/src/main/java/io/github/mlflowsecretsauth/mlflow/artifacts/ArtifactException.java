package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.error.SecretsAuthException;

/**
 * An artifact operation failed: a missing run, file or artifact, a rejected path, or a store that answered
 * with an error. The message names the artifact path and the store, never a credential.
 */
public class ArtifactException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
