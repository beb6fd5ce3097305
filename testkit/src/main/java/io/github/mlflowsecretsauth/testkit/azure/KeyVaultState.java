package io.github.mlflowsecretsauth.testkit.azure;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Everything behind one {@link AzureKeyVaultServer}: secrets, identities and tokens, access denials,
 * injected faults and the request log. Thread-safe.
 */
final class KeyVaultState {
    /** A queued failure: status, Key Vault error code, message, a Retry-After in seconds (or -1), a Location (or null). */
    record Fault(int status, String code, String message, int retryAfterSeconds, String location) {
    }

    final Clock clock;
    final String tenantId;
    final KeyVaultSecrets secrets = new KeyVaultSecrets();
    final EntraTokens tokens;
    /** Signs the JWT access tokens issued for app registrations' APIs; made once per JVM, on first use. */
    private static final class ApiKey {
        static final io.github.mlflowsecretsauth.testkit.jwt.TokenKey KEY =
                io.github.mlflowsecretsauth.testkit.jwt.TokenKey.generate("entra-testkit");
    }

    io.github.mlflowsecretsauth.testkit.jwt.TokenKey apiTokenKey() {
        return ApiKey.KEY;
    }

    private final Set<String> apiResources = new HashSet<>();
    private final Set<String> denied = new HashSet<>();
    private final List<Fault> faults = new ArrayList<>();
    private final List<KeyVaultRequest> log = new ArrayList<>();
    private volatile String vaultUrl = "";
    private volatile String authority = "";

    KeyVaultState(Clock clock, String tenantId, java.time.Duration tokenLifetime) {
        this.clock = clock;
        this.tenantId = tenantId;
        this.tokens = new EntraTokens(clock, tokenLifetime);
    }

    void vaultUrl(String url) {
        this.vaultUrl = url;
    }

    String vaultUrl() {
        return vaultUrl;
    }

    /** The login host named in the 401 challenge, without the tenant. */
    void authority(String url) {
        this.authority = url;
    }

    String authority() {
        return authority;
    }

    synchronized void addApiResource(String resource) {
        apiResources.add(resource);
    }

    synchronized boolean isApiResource(String resource) {
        return apiResources.contains(resource);
    }

    synchronized void deny(String clientId, String secretName, boolean deny) {
        String key = clientId + "\n" + secretName.toLowerCase(Locale.ROOT);
        if (deny) {
            denied.add(key);
        } else {
            denied.remove(key);
        }
    }

    synchronized boolean isDenied(String clientId, String secretName) {
        return denied.contains(clientId + "\n" + secretName.toLowerCase(Locale.ROOT));
    }

    synchronized void failNext(int count, Fault fault) {
        faults.clear();
        for (int i = 0; i < count; i++) {
            faults.add(fault);
        }
    }

    /** The next queued fault for an authenticated vault request, if any (consumed). */
    synchronized java.util.Optional<Fault> takeFault() {
        return faults.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(faults.remove(0));
    }

    synchronized void record(KeyVaultRequest r) {
        log.add(r);
    }

    synchronized List<KeyVaultRequest> requests() {
        return List.copyOf(log);
    }

    synchronized void clearRequests() {
        log.clear();
    }
}
