package io.github.mlflowsecretsauth.testkit.gcp;

import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Google-signed ID tokens a {@link GcpSecretManagerServer} issues (service-account key, metadata server,
 * IAM credentials {@code generateIdToken}): RS256 JWTs signed with one {@link TokenKey}, {@code iss}
 * {@code https://accounts.google.com}, {@code aud} the requested audience, {@code sub} the account's unique id,
 * {@code azp} and {@code email}, {@code exp} the server's clock plus the token lifetime. Also the queue of
 * faults the three ID-token endpoints answer with. Thread-safe: the queue locks on itself, the key is immutable.
 */
final class IdTokens {
    static final String ISSUER = "https://accounts.google.com";

    final TokenKey key = TokenKey.generate("testkit-google-id-token");
    private final Deque<GcpFault> faults = new ArrayDeque<>();
    volatile boolean withoutExp;

    String issue(String email, String subject, String audience, Instant now, Duration lifetime) {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("azp", subject);
        extra.put("email", email);
        extra.put("email_verified", true);
        if (withoutExp) {
            com.nimbusds.jwt.JWTClaimsSet.Builder b = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(ISSUER).subject(subject)
                    .audience(audience).issueTime(java.util.Date.from(now));
            extra.forEach(b::claim);
            return key.sign(b.build());
        }
        return key.sign(ISSUER, subject, audience, now, now.plus(lifetime), extra);
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
}
