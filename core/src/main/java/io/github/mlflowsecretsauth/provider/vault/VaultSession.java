package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Owns the Vault token's life, in the manner of Spring Vault's {@code LifecycleAwareSessionManager} and Vault Agent:
 * obtains it through a {@link VaultLogin}, renews it ({@code renew-self}) in the background at 60 to 70 % of its TTL
 * (jitter from the injected source), logs in again when it is not renewable, when a renewal is capped by its max
 * TTL, when renewal is refused, or once when Vault answers 403 to it; and on close revokes ({@code revoke-self}) a
 * token obtained by login unless {@code VAULT_REVOKE_ON_CLOSE=false}. A given token ({@code VAULT_TOKEN}) is never
 * revoked nor obtained again; if it cannot be renewed it is kept, with a warning, until it expires.
 *
 * <p>Thread-safe. {@link #token()} reads a volatile field and takes the lock only when there is no usable token;
 * every Vault call has the fetch deadline ({@link VaultHttp}), so the lock is never held longer than one call.
 */
final class VaultSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VaultSession.class);
    /** Renew or re-login when less than this is left. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

    private final VaultLogin login;
    private final boolean revokeOnClose;
    private final VaultHttp http;
    private final Clock clock;
    private final Scheduler scheduler;
    private final DoubleSupplier random;
    private volatile VaultToken token;
    private Scheduler.Cancellable renewal; // guarded by this
    private boolean closed; // guarded by this

    VaultSession(VaultLogin login, boolean revokeOnClose, VaultHttp http, Clock clock, Scheduler scheduler, DoubleSupplier random) {
        this.login = login;
        this.revokeOnClose = revokeOnClose;
        this.http = http;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
    }

    VaultLogin login() {
        return login;
    }

    /** A token that is valid now, logging in or renewing first if needed. */
    String token() {
        VaultToken t = token;
        if (t != null && !expiring(t)) {
            return t.value();
        }
        return refresh(t).value();
    }

    /** Called when Vault said 403 to {@code used}: log in again (not for a given token); returns whether a new token exists. */
    synchronized boolean recoverFromDenied(String used) {
        if (login.given()) {
            return false;
        }
        VaultToken t = token;
        if (t != null && !t.value().equals(used)) {
            return true; // another thread already logged in again
        }
        LOG.info("Vault refused the token of the {}; logging in again", login.label());
        install(login.login(http, clock));
        return true;
    }

    private boolean expiring(VaultToken t) {
        return t.expiresBefore(clock.instant().plus(EXPIRY_MARGIN));
    }

    private synchronized VaultToken refresh(VaultToken seen) {
        VaultToken t = token;
        if (t != seen && t != null && !expiring(t)) {
            return t;
        }
        if (t == null) {
            install(login.login(http, clock));
        } else if (t.renewable()) {
            renewOrLogin();
        } else if (!login.given()) {
            install(login.login(http, clock));
        } else if (t.expiresBefore(clock.instant())) {
            throw new AccessDeniedException("the Vault " + login.label() + " expired at " + t.expiresAt().get()
                    + " and cannot be renewed: provide a fresh token, a renewable one, or log in (" + VaultLogins.AUTH_METHOD + ")");
        }
        return token;
    }

    private void renewOrLogin() {
        VaultToken t = token;
        ObjectNode body = VaultHttp.json().createObjectNode();
        if (t.ttlSeconds() > 0) {
            body.put("increment", t.ttlSeconds() + "s");
        }
        VaultHttp.Response r;
        try {
            r = http.post("auth/token/renew-self", t.value(), body);
        } catch (SecretsAuthException e) {
            LOG.warn("renewing the Vault token of the {} failed: {}", login.label(), e.getMessage());
            if (!login.given() && expiring(t)) {
                install(login.login(http, clock));
            }
            return;
        }
        if (r.ok()) {
            JsonNode auth = r.body().path("auth");
            long ttl = auth.path("lease_duration").asLong(0);
            boolean capped = t.ttlSeconds() > 0 && ttl < t.ttlSeconds(); // at its max TTL: the next renewal cannot extend it
            if (!login.given() && ttl > 0 && ttl < EXPIRY_MARGIN.toSeconds() * 2) {
                install(login.login(http, clock));
                return;
            }
            LOG.debug("renewed the Vault token (TTL {} s{})", ttl, capped ? ", capped by its max TTL" : "");
            VaultToken renewed = new VaultToken(t.value(), auth.path("renewable").asBoolean(t.renewable()),
                    ttl > 0 ? Optional.of(clock.instant().plusSeconds(ttl)) : Optional.empty(), t.ttlSeconds(), t.fromLogin(),
                    t.policies());
            install(capped ? renewed.notRenewable() : renewed);
        } else if (!login.given()) {
            LOG.info("Vault refused to renew the token of the {} (HTTP {}); logging in again", login.label(), r.status());
            install(login.login(http, clock));
        } else {
            LOG.warn("Vault refused to renew the {} (HTTP {}: {}); it expires at {}", login.label(), r.status(),
                    r.errors(http.known()), t.expiresAt().map(Instant::toString).orElse("?"));
            install(t.notRenewable());
        }
    }

    /** Holds {@code t} and schedules its renewal (or, when it cannot be renewed, the next login) at 60 to 70 % of its TTL. */
    private void install(VaultToken t) {
        token = t;
        if (renewal != null) {
            renewal.cancel();
            renewal = null;
        }
        if (closed || t.expiresAt().isEmpty() || !(t.renewable() || !login.given())) {
            if (!closed && t.expiresAt().isPresent()) {
                LOG.warn("the Vault {} is not renewable and expires at {}", login.label(), t.expiresAt().get());
            }
            return;
        }
        long ms = Duration.between(clock.instant(), t.expiresAt().get()).toMillis();
        long at = (long) (ms * (0.6 + 0.1 * random.getAsDouble()));
        renewal = scheduler.schedule(Duration.ofMillis(Math.max(0, at)), this::renewInBackground);
    }

    private void renewInBackground() {
        synchronized (this) {
            if (closed || token == null) {
                return;
            }
            try {
                if (token.renewable()) {
                    renewOrLogin();
                } else {
                    install(login.login(http, clock));
                }
            } catch (SecretsAuthException e) {
                LOG.warn("background Vault token renewal failed: {}; retrying at the next fetch", e.getMessage());
            }
        }
    }

    /** Facts for reports. */
    Optional<VaultToken> current() {
        return Optional.ofNullable(token);
    }

    /** Stops renewing; revokes a token obtained by login ({@code revoke-self}) unless told not to. Never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (renewal != null) {
            renewal.cancel();
        }
        if (login instanceof ExtensionLogin extension) {
            extension.close();
        }
        VaultToken t = token;
        if (t == null || !t.fromLogin() || login.given() || !revokeOnClose || t.expiresBefore(clock.instant())) {
            return;
        }
        try {
            VaultHttp.Response r = http.post("auth/token/revoke-self", t.value(), VaultHttp.json().createObjectNode());
            if (r.ok()) {
                LOG.debug("revoked the Vault token of the {}", login.label());
            } else {
                LOG.warn("Vault did not revoke the token of the {} (HTTP {}); it expires at {}", login.label(), r.status(),
                        t.expiresAt().map(Instant::toString).orElse("its max TTL"));
            }
        } catch (SecretsAuthException e) {
            LOG.warn("revoking the Vault token of the {} failed: {}", login.label(), e.getMessage());
        }
        token = null;
    }
}
