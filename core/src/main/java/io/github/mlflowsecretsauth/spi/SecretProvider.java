package io.github.mlflowsecretsauth.spi;

import io.github.mlflowsecretsauth.secret.SecretValue;

import java.util.Map;

/**
 * Fetches one configured secret from one backend. Implementations are thread-safe; {@link #fetch()}
 * may be called from any thread but the engine never runs two fetches at once.
 */
public interface SecretProvider extends AutoCloseable {

    /** The provider's name, e.g. {@code vault}. */
    String name();

    /**
     * Fetches the secret now. Throws {@link io.github.mlflowsecretsauth.error.SecretNotFoundException},
     * {@link io.github.mlflowsecretsauth.error.AccessDeniedException},
     * {@link io.github.mlflowsecretsauth.error.BackendUnavailableException} (transient ones are retried
     * by the engine) or {@link io.github.mlflowsecretsauth.error.MalformedSecretException}.
     */
    SecretValue fetch();

    /**
     * Non-secret facts for {@code info} and {@code doctor}: address, secret location, auth method,
     * identity source. Never a credential.
     */
    default Map<String, String> describe() {
        return Map.of();
    }

    /** Stops background work (token renewal, file polling). */
    @Override
    default void close() {
    }
}
