package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * Owns the Vault token, in the manner of Spring Vault's {@code LifecycleAwareSessionManager}: logs in
 * with AppRole or takes {@code VAULT_TOKEN} (learning its TTL from {@code lookup-self}), renews it in
 * the background at about two thirds of its TTL, and logs in again when renewal is refused or the
 * maximum TTL is reached, so a long-running process never holds a dead token. A static token that
 * cannot be renewed is kept, with a warning before it expires. Thread-safe.
 */
final class VaultSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VaultSession.class);
    /** Renew or re-login when less than this is left. */
    private static final Duration EXPIRY_MARGIN = Duration.ofSeconds(10);

    private final VaultConfig config;
    private final VaultHttp http;
    private final Clock clock;
    private final Scheduler scheduler;
    private final DoubleSupplier random;
    private volatile VaultToken token;
    private Scheduler.Cancellable renewal; // guarded by this
    private boolean closed; // guarded by this

    VaultSession(VaultConfig config, VaultHttp http, Clock clock, Scheduler scheduler, DoubleSupplier random) {
        this.config = config;
        this.http = http;
        this.clock = clock;
        this.scheduler = scheduler;
        this.random = random;
    }

    /** A token that is valid now, logging in or renewing first if needed. */
    String token() {
        VaultToken t = token;
        if (t != null && !t.expiresBefore(clock.instant().plus(EXPIRY_MARGIN))) {
            return t.value();
        }
        return refresh(t).value();
    }

    /** Called when Vault said 403 to {@code used}: for AppRole, log in again; returns whether a new token exists. */
    synchronized boolean recoverFromDenied(String used) {
        if (!config.usesAppRole()) {
            return false;
        }
        VaultToken t = token;
        if (t != null && !t.value().equals(used)) {
            return true; // another thread already logged in again
        }
        LOG.info("Vault refused the AppRole token; logging in again");
        install(login());
        return true;
    }

    private synchronized VaultToken refresh(VaultToken seen) {
        VaultToken t = token;
        if (t != seen && t != null && !t.expiresBefore(clock.instant().plus(EXPIRY_MARGIN))) {
            return t;
        }
        if (t == null) {
            install(config.usesAppRole() ? login() : lookupStatic());
        } else if (t.renewable()) {
            renewOrLogin();
        } else if (config.usesAppRole()) {
            install(login());
        } else if (t.expiresBefore(clock.instant())) {
            throw new AccessDeniedException("VAULT_TOKEN expired at " + t.expiresAt().get()
                    + " and cannot be renewed: provide a fresh token, a renewable one, or use AppRole (VAULT_ROLE_ID/VAULT_SECRET_ID)");
        }
        return token;
    }

    private VaultToken login() {
        ObjectNode body = VaultHttp.json().createObjectNode();
        body.put("role_id", config.roleId().orElseThrow());
        body.put("secret_id", config.secretId().orElseThrow());
        VaultHttp.Response r = http.post("auth/" + config.approleMount() + "/login", null, body);
        if (!r.ok()) {
            if (r.status() >= 500 || r.status() == 429) {
                throw new BackendUnavailableException("Vault answered HTTP " + r.status() + " to the AppRole login ("
                        + r.errors(http.known()) + ")", null, true, r.retryAfter().orElse(null));
            }
            throw new AccessDeniedException("Vault AppRole login failed (HTTP " + r.status() + ": " + r.errors(http.known())
                    + "): check VAULT_ROLE_ID and VAULT_SECRET_ID, and that the secret id has not expired");
        }
        JsonNode auth = r.body().path("auth");
        String value = auth.path("client_token").asText("");
        if (value.isEmpty()) {
            throw new BackendUnavailableException("Vault's AppRole login answer has no auth.client_token", null, false, null);
        }
        CredentialText.requireFromBackend(value, "the auth.client_token of Vault's AppRole login answer");
        http.known().add(value);
        long ttl = auth.path("lease_duration").asLong(0);
        LOG.info("logged in to Vault with AppRole (token TTL {} s, renewable {})", ttl, auth.path("renewable").asBoolean(false));
        return token(value, auth.path("renewable").asBoolean(false), ttl, true);
    }

    private VaultToken lookupStatic() {
        String value = config.token().orElseThrow();
        VaultHttp.Response r = http.get("auth/token/lookup-self", value);
        if (r.status() == 403) {
            throw new AccessDeniedException("Vault rejected VAULT_TOKEN (HTTP 403 " + r.errors(http.known())
                    + "): the token is invalid, revoked or expired; provide a valid token");
        }
        if (!r.ok()) {
            if (r.status() >= 500 || r.status() == 429) {
                throw new BackendUnavailableException("Vault answered HTTP " + r.status() + " to token lookup (" + r.errors(http.known()) + ")",
                        null, true, r.retryAfter().orElse(null));
            }
            LOG.debug("token lookup-self answered HTTP {}; assuming a token without expiry", r.status());
            return token(value, false, 0, false);
        }
        JsonNode data = r.body().path("data");
        return token(value, data.path("renewable").asBoolean(false), data.path("ttl").asLong(0), false);
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
            LOG.warn("renewing the Vault token failed: {}", e.getMessage());
            if (config.usesAppRole() && t.expiresBefore(clock.instant().plus(EXPIRY_MARGIN))) {
                install(login());
            }
            return;
        }
        if (r.ok()) {
            JsonNode auth = r.body().path("auth");
            long ttl = auth.path("lease_duration").asLong(0);
            if (config.usesAppRole() && ttl > 0 && ttl < EXPIRY_MARGIN.toSeconds() * 2) {
                install(login()); // the token is near its max TTL: renewing no longer helps
                return;
            }
            LOG.debug("renewed the Vault token (TTL {} s)", ttl);
            install(token(t.value(), auth.path("renewable").asBoolean(t.renewable()), ttl, t.fromLogin()));
        } else if (config.usesAppRole()) {
            LOG.info("Vault refused to renew the token (HTTP {}); logging in again", r.status());
            install(login());
        } else {
            LOG.warn("Vault refused to renew VAULT_TOKEN (HTTP {}: {}); it expires at {}", r.status(), r.errors(http.known()),
                    t.expiresAt().map(Instant::toString).orElse("?"));
            install(new VaultToken(t.value(), false, t.expiresAt(), t.ttlSeconds(), false));
        }
    }

    private VaultToken token(String value, boolean renewable, long ttl, boolean fromLogin) {
        Optional<Instant> expires = ttl > 0 ? Optional.of(clock.instant().plusSeconds(ttl)) : Optional.empty();
        return new VaultToken(value, renewable, expires, ttl, fromLogin);
    }

    /** Holds {@code t} and schedules its renewal at about two thirds of its TTL. */
    private void install(VaultToken t) {
        token = t;
        if (renewal != null) {
            renewal.cancel();
            renewal = null;
        }
        if (closed || t.expiresAt().isEmpty() || !(t.renewable() || config.usesAppRole())) {
            if (!closed && t.expiresAt().isPresent()) {
                LOG.warn("VAULT_TOKEN is not renewable and expires at {}", t.expiresAt().get());
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
                    install(login());
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

    @Override
    public synchronized void close() {
        closed = true;
        if (renewal != null) {
            renewal.cancel();
        }
    }
}
