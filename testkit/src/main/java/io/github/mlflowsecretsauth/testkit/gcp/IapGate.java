package io.github.mlflowsecretsauth.testkit.gcp;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.tracking.memory.RequestGate;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.Request;

/**
 * An Identity-Aware-Proxy-style check in front of a testkit MLflow server: the request must carry a Google ID token
 * as {@code Proxy-Authorization: Bearer ...} (taken first, as IAP does) or {@code Authorization: Bearer ...}, signed
 * by the testkit's Google key ({@link GcpSecretManagerServer#idTokenKey()}), with {@code iss}
 * {@code https://accounts.google.com}, {@code aud} the expected audience and {@code exp} after the gate's clock.
 * Anything else is answered 401. Thread-safe.
 */
public final class IapGate implements RequestGate {
    private final TokenKey key;
    private final String audience;
    private final Clock clock;
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    public IapGate(TokenKey key, String audience, Clock clock) {
        this.key = Objects.requireNonNull(key);
        this.audience = Objects.requireNonNull(audience);
        this.clock = Objects.requireNonNull(clock);
    }

    @Override
    public Optional<Rejection> check(Request request, byte[] body) {
        String proxy = request.getHeaders().get("Proxy-Authorization");
        String header = proxy != null ? proxy : request.getHeaders().get("Authorization");
        Optional<String> problem = problem(header);
        if (problem.isPresent()) {
            refused.incrementAndGet();
            return Optional.of(new Rejection(401, "{\"error\":\"Invalid IAP credentials: " + problem.get() + "\"}"));
        }
        accepted.incrementAndGet();
        return Optional.empty();
    }

    private Optional<String> problem(String header) {
        if (header == null || !header.startsWith("Bearer ")) {
            return Optional.of("no bearer token");
        }
        Optional<JWTClaimsSet> claims = key.verify(header.substring(7));
        if (claims.isEmpty()) {
            return Optional.of("JWT signature is invalid");
        }
        JWTClaimsSet c = claims.get();
        if (!IdTokens.ISSUER.equals(c.getIssuer())) {
            return Optional.of("wrong issuer");
        }
        if (c.getAudience() == null || !c.getAudience().contains(audience)) {
            return Optional.of("JWT audience doesn't match this application");
        }
        if (c.getExpirationTime() == null || !c.getExpirationTime().toInstant().isAfter(clock.instant())) {
            return Optional.of("JWT has expired");
        }
        return Optional.empty();
    }

    /** Requests let through. */
    public int accepted() {
        return accepted.get();
    }

    /** Requests answered 401. */
    public int refused() {
        return refused.get();
    }
}
