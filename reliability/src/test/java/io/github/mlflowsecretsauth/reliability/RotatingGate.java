package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.tracking.memory.RequestGate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * The upstream's credential check: accepts {@code Bearer <current>} only, plus the previous token
 * for an overlap after each rotation, measured on an injected clock (so a test retires the old
 * credential by moving the clock, never by sleeping). Everything else gets MLflow's 401. Thread-safe.
 */
final class RotatingGate implements RequestGate {
    private record Tokens(String current, String previous, Instant rotatedAt, boolean previousUntilRetired) {
    }

    private final Clock clock;
    private final Duration overlap;
    private volatile Tokens tokens;
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder acceptedPrevious = new LongAdder();

    RotatingGate(String first, Clock clock, Duration overlap) {
        this.clock = clock;
        this.overlap = overlap;
        this.tokens = new Tokens(first, null, clock.instant(), false);
    }

    /** From now on {@code next} is the credential; the old one stays valid for the overlap. */
    synchronized void rotate(String next) {
        tokens = new Tokens(next, overlap.isZero() ? null : tokens.current, clock.instant(), false);
    }

    /** From now on {@code next} is accepted, and the old credential too until {@link #retirePrevious()}. */
    synchronized void admit(String next) {
        tokens = new Tokens(next, tokens.current, clock.instant(), true);
    }

    /** The credential {@link #admit} kept is refused from now on. */
    synchronized void retirePrevious() {
        tokens = new Tokens(tokens.current, null, tokens.rotatedAt, false);
    }

    @Override
    public Optional<Rejection> check(Request request, byte[] body) {
        String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        Tokens t = tokens;
        if (given != null && given.equals("Bearer " + t.current)) {
            accepted.increment();
            return Optional.empty();
        }
        if (given != null && t.previous != null && given.equals("Bearer " + t.previous)
                && (t.previousUntilRetired || clock.instant().isBefore(t.rotatedAt.plus(overlap)))) {
            accepted.increment();
            acceptedPrevious.increment();
            return Optional.empty();
        }
        rejected.increment();
        return Optional.of(new Rejection(401, "{\"error_code\":\"UNAUTHENTICATED\",\"message\":\"Invalid credentials\"}"));
    }
}
