package io.github.mlflowsecretsauth.testkit.gcp;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one {@link GcpSecretManagerServer} holds: the project, the service accounts and their
 * keys, the access tokens issued (each bound to an account and an expiry), IAM denials, the secrets,
 * queued faults, payload checksum switches and the call log.
 *
 * <p>Thread-safe: concurrent maps and volatile switches; the fault queue and call log lock on themselves.
 */
final class GcpState {
    /** An access token the server issued. */
    record IssuedToken(String token, String email, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedToken[" + email + ", expires " + expiresAt + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    final Clock clock;
    final String projectId;
    final String projectNumber;
    final String computeAccount;
    final SecretStore secrets = new SecretStore();
    final IdTokens idTokens = new IdTokens();
    private final Map<String, ServiceAccount> accounts = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private final Set<String> denials = ConcurrentHashMap.newKeySet();
    private final Deque<GcpFault> faults = new ArrayDeque<>();
    private final List<GcpCall> calls = new ArrayList<>();
    volatile Duration tokenLifetime;
    volatile boolean corruptChecksums;
    volatile boolean sendChecksums = true;

    GcpState(Clock clock, String projectId, String projectNumber, String computeAccount, Duration tokenLifetime) {
        this.clock = clock;
        this.projectId = projectId;
        this.projectNumber = projectNumber;
        this.computeAccount = computeAccount;
        this.tokenLifetime = tokenLifetime;
    }

    void addAccount(ServiceAccount a) {
        accounts.put(a.email(), a);
    }

    Optional<ServiceAccount> account(String email) {
        return Optional.ofNullable(accounts.get(email));
    }

    /** Issues a new opaque access token for {@code email}, valid for the current token lifetime. */
    IssuedToken issue(String email) {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        String token = "ya29.testkit-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        IssuedToken t = new IssuedToken(token, email, clock.instant().plus(tokenLifetime));
        tokens.put(token, t);
        return t;
    }

    /** The account a valid, unexpired token belongs to. */
    Optional<String> holderOf(String token) {
        IssuedToken t = token == null ? null : tokens.get(token);
        if (t == null || !clock.instant().isBefore(t.expiresAt())) {
            return Optional.empty();
        }
        return Optional.of(t.email());
    }

    /** Whether {@code token} was issued here (expired or not). */
    boolean issued(String token) {
        return token != null && tokens.containsKey(token);
    }

    void expireAllTokens() {
        Instant now = clock.instant();
        tokens.replaceAll((k, v) -> new IssuedToken(k, v.email(), now));
    }

    void deny(String email, String secret, boolean deny) {
        String key = email + "\n" + secret;
        if (deny) {
            denials.add(key);
        } else {
            denials.remove(key);
        }
    }

    boolean denied(String email, String secret) {
        return denials.contains(email + "\n" + secret);
    }

    void failNext(int count, GcpFault fault) {
        synchronized (faults) {
            faults.clear();
            for (int i = 0; i < count; i++) {
                faults.add(fault);
            }
        }
    }

    Optional<GcpFault> takeFault() {
        synchronized (faults) {
            return Optional.ofNullable(faults.poll());
        }
    }

    void record(GcpCall call) {
        synchronized (calls) {
            calls.add(call);
        }
    }

    List<GcpCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    void clearCalls() {
        synchronized (calls) {
            calls.clear();
        }
    }
}
