package io.github.mlflowsecretsauth.provider.oauth2;

import java.util.Optional;

/**
 * The client's id and, for the secret-based methods, its secret. {@link #toString()} never shows the secret.
 */
record ClientCredentials(String id, Optional<String> secret) {
    @Override
    public String toString() {
        return "ClientCredentials{" + id + (secret.isPresent() ? ", secret=********" : "") + "}";
    }
}
