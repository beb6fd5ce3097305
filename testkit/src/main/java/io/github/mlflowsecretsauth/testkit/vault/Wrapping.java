package io.github.mlflowsecretsauth.testkit.vault;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Response wrapping, as far as a client unwrapping a secret id needs it: a test wraps a value and gets a
 * single-use wrapping token; {@code POST sys/wrapping/unwrap} with that token (in {@code X-Vault-Token}) answers
 * the wrapped data once, then "wrapping token is not valid or does not exist", as Vault does. Expiry follows the
 * server's clock.
 *
 * <p>Thread-safe: a concurrent map; {@code remove} makes each token single-use.
 */
final class Wrapping {

    private record Wrapped(Map<String, Object> data, Instant expires) {}

    private final Map<String, Wrapped> wrapped = new ConcurrentHashMap<>();
    private final Clock clock;

    Wrapping(Clock clock) {
        this.clock = clock;
    }

    /** Wraps {@code data} for {@code ttl}; returns the wrapping token. */
    String wrap(Map<String, Object> data, Duration ttl) {
        String token = "hvs." + Ids.random(24);
        wrapped.put(token, new Wrapped(Map.copyOf(data), clock.instant().plus(ttl)));
        return token;
    }

    Reply unwrap(String token) {
        Wrapped w = wrapped.remove(token);
        if (w == null || !clock.instant().isBefore(w.expires())) {
            return Reply.error(400, "wrapping token is not valid or does not exist");
        }
        return Reply.data(w.data());
    }
}
