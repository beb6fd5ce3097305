package io.github.mlflowsecretsauth.provider.vault;

import java.time.Instant;
import java.util.Optional;

/**
 * A Vault token with its lease: when it expires (empty for tokens that never do) and whether it can
 * be renewed. {@link #toString()} never shows the token. Immutable.
 */
record VaultToken(String value, boolean renewable, Optional<Instant> expiresAt, long ttlSeconds, boolean fromLogin) {

    boolean expiresBefore(Instant t) {
        return expiresAt.isPresent() && expiresAt.get().isBefore(t);
    }

    @Override
    public String toString() {
        return "VaultToken{renewable=" + renewable + ", expiresAt=" + expiresAt.map(Instant::toString).orElse("never")
                + ", source=" + (fromLogin ? "approle" : "VAULT_TOKEN") + "}";
    }
}
