package io.github.mlflowsecretsauth.testkit.vault;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All tokens of one server, across namespaces, keyed by token id; validity is judged against the
 * server's clock.
 *
 * <p>Thread-safe: a concurrent map of thread-safe entries.
 */
final class TokenStore {

    private final Map<String, TokenEntry> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    TokenStore(Clock clock) {
        this.clock = clock;
    }

    /** Registers the root token: never expires, not renewable, allowed everything. */
    TokenEntry addRoot(String id) {
        TokenSpec spec = TokenSpec.builder().ttl(java.time.Duration.ZERO).renewable(false)
                .policies("root").build();
        TokenEntry entry = new TokenEntry(id, spec, true, clock.instant(), "auth/token/root", "root", null, true);
        tokens.put(id, entry);
        return entry;
    }

    /** Issues a new service token. */
    TokenEntry issue(TokenSpec spec, String path, String displayName, Map<String, String> meta,
                     boolean orphan) {
        TokenEntry entry = new TokenEntry(Ids.serviceToken(), spec, false, clock.instant(), path, displayName,
                meta, orphan);
        tokens.put(entry.id, entry);
        return entry;
    }

    /** The token if it exists and has not expired; an expired token is dropped. */
    Optional<TokenEntry> findValid(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        TokenEntry entry = tokens.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.isExpired(clock.instant())) {
            tokens.remove(id, entry);
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /** Revokes a token; {@code false} if it was unknown. */
    boolean revoke(String id) {
        return tokens.remove(id) != null;
    }
}
