package io.github.mlflowsecretsauth.testkit.vault;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A token the server has issued: its fixed properties and its (renewable) expiry time.
 *
 * <p>Thread-safe: the fields are final except the expiry, which is read and renewed under the
 * entry's monitor.
 */
final class TokenEntry {

    /** What a renewal granted; {@code cappedAt} is the max TTL it hit, or {@code null}. */
    record Renewal(Duration granted, Duration requested, Duration cappedAt) {}

    final String id;
    final String accessor;
    final String namespace;
    final boolean root;
    final boolean renewable;
    final boolean orphan;
    final Duration creationTtl;
    final Duration explicitMaxTtl;
    final Instant issueTime;
    final List<String> policies;
    final List<String> allowedPaths;
    final String path;
    final String displayName;
    final Map<String, String> meta;
    private Instant expireTime;

    TokenEntry(String id, TokenSpec spec, boolean root, Instant now, String path, String displayName,
               Map<String, String> meta, boolean orphan) {
        this.id = id;
        this.accessor = Ids.accessor();
        this.namespace = spec.namespace();
        this.root = root;
        this.renewable = spec.renewable();
        this.orphan = orphan;
        this.explicitMaxTtl = spec.maxTtl();
        this.issueTime = now;
        this.policies = spec.policies();
        this.allowedPaths = spec.allowedPaths();
        this.path = path;
        this.displayName = displayName;
        this.meta = meta == null ? null : Map.copyOf(meta);
        Duration ttl = spec.ttl();
        if (!ttl.isZero() && !explicitMaxTtl.isZero() && ttl.compareTo(explicitMaxTtl) > 0) {
            ttl = explicitMaxTtl;
        }
        this.creationTtl = ttl;
        this.expireTime = ttl.isZero() ? null : now.plus(ttl);
    }

    /** When the token expires, or {@code null} if never. */
    synchronized Instant expireTime() {
        return expireTime;
    }

    synchronized boolean isExpired(Instant now) {
        return expireTime != null && !now.isBefore(expireTime);
    }

    /** Seconds left (0 for a token that never expires). */
    synchronized long ttlSeconds(Instant now) {
        return expireTime == null ? 0 : Math.max(0, Duration.between(now, expireTime).getSeconds());
    }

    /** Whether there is a lease to renew at all (tokens that never expire have none). */
    boolean hasLease() {
        return !creationTtl.isZero();
    }

    /**
     * Extends the expiry to {@code now + increment} ({@code null} increment: the creation TTL),
     * capped by the explicit max TTL.
     */
    synchronized Renewal renew(Instant now, Duration increment) {
        Duration requested = increment == null || increment.isZero() ? creationTtl : increment;
        Duration granted = requested;
        Duration cappedAt = null;
        if (!explicitMaxTtl.isZero()) {
            Duration left = Duration.between(now, issueTime.plus(explicitMaxTtl));
            if (left.isNegative()) {
                left = Duration.ZERO;
            }
            if (granted.compareTo(left) > 0) {
                granted = left;
                cappedAt = explicitMaxTtl;
            }
        }
        expireTime = now.plus(granted);
        return new Renewal(granted, requested, cappedAt);
    }
}
