package io.github.mlflowsecretsauth.testkit.azure;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The identities the testkit's Entra ID token endpoint knows (service principals with a client secret or a
 * certificate, federated workload identities with a client assertion) and the opaque access tokens it has issued,
 * with their expiry on the server's clock. Thread-safe: every method synchronises on the instance.
 */
final class EntraTokens {
    /** Why a presented token is not accepted. */
    enum Verdict { VALID, UNKNOWN, EXPIRED, REVOKED }

    private record Issued(String clientId, Instant expiresAt, boolean revoked) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration lifetime;
    private final Map<String, String> clientSecrets = new HashMap<>();
    private final Map<String, String> federatedAssertions = new HashMap<>();
    private final Map<String, java.security.cert.X509Certificate> certificates = new HashMap<>();
    private final Map<String, Issued> tokens = new HashMap<>();

    EntraTokens(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    synchronized void addClientSecret(String clientId, String secret) {
        clientSecrets.put(clientId, secret);
    }

    synchronized void addFederatedAssertion(String clientId, String assertion) {
        federatedAssertions.put(clientId, assertion);
    }

    synchronized void addCertificate(String clientId, java.security.cert.X509Certificate certificate) {
        certificates.put(clientId, certificate);
    }

    synchronized boolean knowsClient(String clientId) {
        return clientSecrets.containsKey(clientId) || federatedAssertions.containsKey(clientId) || certificates.containsKey(clientId);
    }

    /** A federated assertion registered verbatim, or a JWT signed with the app's registered certificate. */
    synchronized boolean assertionValid(String clientId, String assertion, String tenantId) {
        return assertionMatches(clientId, assertion)
                || ClientAssertions.valid(assertion, certificates.get(clientId), clientId, tenantId, clock.instant());
    }

    synchronized boolean secretMatches(String clientId, String secret) {
        return secret != null && secret.equals(clientSecrets.get(clientId));
    }

    synchronized boolean assertionMatches(String clientId, String assertion) {
        return assertion != null && assertion.equals(federatedAssertions.get(clientId));
    }

    /**
     * A new access token for an app registration's API ({@code resource}, its application ID URI), as Entra ID
     * issues them: a v2.0 JWT signed by {@code key} whose {@code aud} is the resource and whose {@code sub},
     * {@code azp} and {@code oid} name the calling app.
     */
    synchronized String issueJwt(String clientId, String resource, String tenantId, String authority,
                                 io.github.mlflowsecretsauth.testkit.jwt.TokenKey key) {
        Instant now = clock.instant();
        Instant exp = now.plus(lifetime);
        String token = key.sign(authority + "/" + tenantId + "/v2.0", clientId, resource, now, exp,
                Map.of("azp", clientId, "oid", clientId, "tid", tenantId, "ver", "2.0"));
        tokens.put(token, new Issued(clientId, exp, false));
        return token;
    }

    /** A new access token for {@code clientId}, valid for the configured lifetime. */
    synchronized String issue(String clientId) {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = "kvtk." + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.put(token, new Issued(clientId, clock.instant().plus(lifetime), false));
        return token;
    }

    long lifetimeSeconds() {
        return lifetime.toSeconds();
    }

    synchronized Verdict check(String token) {
        Issued t = tokens.get(token);
        if (t == null) {
            return Verdict.UNKNOWN;
        }
        if (t.revoked) {
            return Verdict.REVOKED;
        }
        return clock.instant().isBefore(t.expiresAt) ? Verdict.VALID : Verdict.EXPIRED;
    }

    synchronized Optional<String> clientOf(String token) {
        return Optional.ofNullable(tokens.get(token)).map(Issued::clientId);
    }

    /** Revokes every token issued to {@code clientId}; returns how many. */
    synchronized int revokeAll(String clientId) {
        int n = 0;
        for (Map.Entry<String, Issued> e : tokens.entrySet()) {
            if (e.getValue().clientId.equals(clientId) && !e.getValue().revoked) {
                e.setValue(new Issued(clientId, e.getValue().expiresAt, true));
                n++;
            }
        }
        return n;
    }

    /** Makes every token issued so far expired. */
    synchronized void expireAll() {
        Instant past = clock.instant().minusSeconds(1);
        tokens.replaceAll((k, v) -> new Issued(v.clientId, past, v.revoked));
    }
}
