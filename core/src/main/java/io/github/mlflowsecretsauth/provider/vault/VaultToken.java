package io.github.mlflowsecretsauth.provider.vault;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Vault token with its lease: when it expires (empty for tokens that never do), whether it can be renewed, and
 * whether this process obtained it by logging in (only those are revoked on close). {@link #toString()} never
 * shows the token. Immutable.
 */
record VaultToken(String value, boolean renewable, Optional<Instant> expiresAt, long ttlSeconds, boolean fromLogin,
                  List<String> policies) {

    VaultToken {
        policies = List.copyOf(policies);
    }

    static VaultToken of(String value, boolean renewable, long ttl, boolean fromLogin, List<String> policies, Clock clock) {
        Optional<Instant> expires = ttl > 0 ? Optional.of(clock.instant().plusSeconds(ttl)) : Optional.empty();
        return new VaultToken(value, renewable, expires, ttl, fromLogin, policies);
    }

    boolean expiresBefore(Instant t) {
        return expiresAt.isPresent() && expiresAt.get().isBefore(t);
    }

    /** The same token, no longer to be renewed (refused, or at its max TTL). */
    VaultToken notRenewable() {
        return new VaultToken(value, false, expiresAt, ttlSeconds, fromLogin, policies);
    }

    @Override
    public String toString() {
        return "VaultToken{renewable=" + renewable + ", expiresAt=" + expiresAt.map(Instant::toString).orElse("never")
                + ", source=" + (fromLogin ? "login" : "given") + ", policies=" + policies + "}";
    }
}
