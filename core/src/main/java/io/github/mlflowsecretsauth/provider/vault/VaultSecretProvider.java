package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.internal.HttpStatuses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;

import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.time.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the MLflow credential from a Vault KV secret (v1 or v2, any mount), authenticating with a
 * token or AppRole through {@link VaultSession}. The KV location is resolved once and remembered.
 * Thread-safe.
 */
final class VaultSecretProvider implements SecretProvider {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VaultConfig config;
    private final VaultHttp http;
    private final VaultSession session;
    private final String reason;
    private final Clock clock;
    private volatile KvLocator.KvLocation location;

    VaultSecretProvider(VaultConfig config, VaultHttp http, VaultSession session, String reason, Clock clock) {
        this.config = config;
        this.http = http;
        this.session = session;
        this.reason = reason;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public SecretValue fetch() {
        String token = session.token();
        try {
            return read(token);
        } catch (AccessDeniedException e) {
            if (session.recoverFromDenied(token)) {
                return read(session.token());
            }
            throw e;
        }
    }

    private SecretValue read(String token) {
        KvLocator.KvLocation known = location;
        List<KvLocator.KvLocation> candidates = known != null ? List.of(known) : KvLocator.locate(http, token, config.secretPath());
        VaultHttp.Response last = null;
        for (KvLocator.KvLocation loc : candidates) {
            VaultHttp.Response r = http.get(loc.apiPath() + pin(loc), token);
            if (r.ok()) {
                SecretValue v = unwrap(r.body(), loc);
                location = loc;
                return v;
            }
            last = r;
            if (r.status() != 404) {
                break;
            }
        }
        throw error(last, candidates.get(0));
    }

    /** {@code ?version=N} for a pinned KV v2 version; a pin on a KV v1 mount is a configuration error. */
    private String pin(KvLocator.KvLocation loc) {
        if (config.secretVersion().isEmpty()) {
            return "";
        }
        if (loc.version() != 2) {
            throw new ConfigurationException(VaultConfig.SECRET_VERSION + " pins a KV v2 version, but " + config.secretPath()
                    + " is on a KV v1 mount, which keeps one version: unset " + VaultConfig.SECRET_VERSION);
        }
        return "?version=" + config.secretVersion().get();
    }

    private SecretValue unwrap(JsonNode body, KvLocator.KvLocation loc) {
        String where = "vault:" + config.secretPath();
        JsonNode data = loc.version() == 2 ? body.path("data").path("data") : body.path("data");
        if (!data.isObject()) {
            if (loc.version() == 2 && body.path("data").path("metadata").path("deletion_time").asText("").length() > 0) {
                throw new SecretNotFoundException("the Vault secret " + config.secretPath() + " is deleted (its latest version "
                        + "has a deletion_time): write a new version or undelete it");
            }
            throw new SecretNotFoundException("Vault returned no data for " + config.secretPath() + " (read at " + loc.apiPath()
                    + "): check " + VaultConfig.SECRET_PATH);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        data.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue()
                : JSON.convertValue(e.getValue(), Object.class)));
        String version = loc.version() == 2 ? body.path("data").path("metadata").path("version").asText(null) : null;
        return SecretValue.ofFields(fields, where, version);
    }

    private RuntimeException error(VaultHttp.Response r, KvLocator.KvLocation loc) {
        String path = config.secretPath();
        String errors = r.errors(http.known()).isEmpty() ? "" : " " + r.errors(http.known());
        return switch (r.status()) {
            case 404 -> config.secretVersion().isPresent()
                    ? new SecretNotFoundException("Vault has no version " + config.secretVersion().get() + " of " + path
                    + " (HTTP 404): check " + VaultConfig.SECRET_VERSION + " (vault kv metadata get " + path + ")")
                    : new SecretNotFoundException("Vault has no secret at " + path + " (HTTP 404): check "
                    + VaultConfig.SECRET_PATH + " and that the secret exists (vault kv get " + path + ")");
            case 401, 403 -> new AccessDeniedException("Vault denied reading " + path + " (HTTP " + r.status() + errors
                    + "): check that the " + (session.login().given() ? "" : "token of the ") + session.login().label()
                    + " is valid and its policy grants read on " + loc.apiPath());
            default -> HttpStatuses.isTransient(r.status())
                    ? new BackendUnavailableException("Vault at " + http.hostPort() + " answered HTTP " + r.status() + errors
                    + " to reading " + path, null, true, r.retryAfter().orElse(null))
                    : new BackendUnavailableException("Vault answered HTTP " + r.status() + errors + " to reading " + path
                    + ": check " + VaultConfig.SECRET_PATH, null, false, null);
        };
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("address", config.address().toString());
        d.put("secret path", config.secretPath());
        VaultLogin login = session.login();
        d.put("auth method", login.method());
        d.put("auth mount", login.mount());
        String who = login.who();
        if (who.matches("(role|user) [^ ]+")) {
            d.put("auth " + who.substring(0, 4), who.substring(5));
        } else if (!who.isEmpty()) {
            d.put("auth identity", who);
        }
        if (!reason.isEmpty()) {
            d.put("auth chosen because", reason);
        }
        if (login instanceof ExtensionLogin extension) {
            d.putAll(extension.maker().describe());
        }
        config.secretVersion().ifPresent(v -> d.put("secret version", v + " (" + VaultConfig.SECRET_VERSION + ")"));
        config.namespace().ifPresent(n -> d.put("namespace", n));
        config.caCert().ifPresent(c -> d.put("ca cert", c.toString()));
        http.clientSubject().ifPresent(c -> d.put("client certificate", c + " (" + VaultConfig.CLIENT_CERT + ")"));
        if (config.skipVerify()) {
            d.put("tls verify", "DISABLED (VAULT_SKIP_VERIFY)");
        }
        KvLocator.KvLocation loc = location;
        if (loc != null) {
            d.put("kv version", String.valueOf(loc.version()));
        }
        session.current().ifPresent(t -> {
            if (!t.policies().isEmpty()) {
                d.put("token policies", String.join(", ", t.policies()));
            }
            t.expiresAt().ifPresent(e -> d.put("token expires", e + " (TTL " + Math.max(0,
                    java.time.Duration.between(clock.instant(), e).toSeconds()) + " s)"));
        });
        return d;
    }

    @Override
    public void close() {
        session.close();
    }

    static VaultSecretProvider create(VaultConfig config, VaultLogins.Selected login, Clock clock, Scheduler scheduler,
                                      DoubleSupplier random, KnownSecrets known, Duration fetchTimeout) {
        VaultHttp http = new VaultHttp(config, config.clientIdentity(clock), known, fetchTimeout);
        VaultSession session = new VaultSession(login.login(), config.revokeOnClose(), http, clock, scheduler, random);
        return new VaultSecretProvider(config, http, session, login.reason(), clock);
    }
}
