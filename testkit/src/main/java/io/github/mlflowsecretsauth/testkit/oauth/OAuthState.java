package io.github.mlflowsecretsauth.testkit.oauth;

import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The mutable state behind {@link OAuthTokenServer}. Thread-safe: concurrent maps, volatile settings. */
final class OAuthState {
    final Clock clock;
    final TokenKey key;
    final Map<String, OAuthClient> clients = new ConcurrentHashMap<>();
    /** Opaque tokens issued, with their expiry (JWTs are checked by signature instead). */
    final Map<String, Instant> opaque = new ConcurrentHashMap<>();
    final Set<String> seenJtis = ConcurrentHashMap.newKeySet();
    private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;
    volatile Duration tokenLifetime;
    volatile boolean sendExpiresIn = true;
    volatile TokenFormat format = TokenFormat.JWT;
    volatile Optional<String> defaultAudience = Optional.empty();

    OAuthState(Clock clock, TokenKey key, Duration tokenLifetime) {
        this.clock = clock;
        this.key = key;
        this.tokenLifetime = tokenLifetime;
    }

    void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    /** The status of an injected failure for this token request, if one is due. */
    Optional<Integer> takeFailure() {
        return failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? Optional.of(failureStatus) : Optional.empty();
    }

    /** The subject of {@code token} if this server issued it, it has not expired and it carries {@code audience} (if given). */
    Optional<String> validate(String token, String issuer, String audience) {
        if (token == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant opaqueExp = opaque.get(token);
        if (opaqueExp != null) {
            return opaqueExp.isAfter(now) && audience == null ? Optional.of("opaque") : Optional.empty();
        }
        return key.verify(token).filter(c -> issuer.equals(c.getIssuer()))
                .filter(c -> c.getExpirationTime() == null || c.getExpirationTime().toInstant().isAfter(now))
                .filter(c -> audience == null || (c.getAudience() != null && c.getAudience().contains(audience)))
                .map(c -> c.getSubject());
    }

    /** The claims of a JWT this server signed for {@code issuer} that has an {@code exp} still ahead, else empty. */
    Optional<com.nimbusds.jwt.JWTClaimsSet> introspect(String token, String issuer) {
        if (token == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return key.verify(token).filter(c -> issuer.equals(c.getIssuer()))
                .filter(c -> c.getExpirationTime() != null && c.getExpirationTime().toInstant().isAfter(now));
    }

    void record(TokenRequest r) {
        requests.add(r);
    }

    List<TokenRequest> requests() {
        return List.copyOf(requests);
    }

    void clearRequests() {
        requests.clear();
    }
}
