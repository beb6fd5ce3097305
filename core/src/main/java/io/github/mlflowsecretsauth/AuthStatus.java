package io.github.mlflowsecretsauth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The authentication status, as the seed SDK's {@code get_mlflow_auth_status()} reports it, plus what
 * this project knows: the provider, the header, the allowlist decision and the credential's age.
 * Holds no secret. Immutable.
 *
 * @param trackingUri  {@code MLFLOW_TRACKING_URI} as it may be shown (user info masked), if set
 * @param authType     bearer, basic, custom header, raw, sigv4, mtls or none
 * @param configured   whether a provider is enabled and configured
 * @param remote       whether the tracking URI is an http(s) server
 * @param provider     the provider in use (the first in the chain)
 * @param headerName   the header that carries the credential
 * @param hostAllowed  whether the tracking host is on the allowlist (empty without a tracking URI)
 * @param credentialAge    how old the cached credential is, if one is cached
 * @param nextRefresh      when it is refreshed ahead of expiry, if one is cached
 * @param cacheState   the cache's state (EMPTY, FRESH, STALE, EXPIRED, INVALIDATED)
 * @param mode         normal, optional ({@code MLFLOW_SECRETS_AUTH_OPTIONAL}) or mock ({@code MLFLOW_SECRETS_AUTH_MOCK})
 */
public record AuthStatus(Optional<String> trackingUri, String authType, boolean configured, boolean remote,
                         Optional<String> provider, String headerName, Optional<Boolean> hostAllowed,
                         Optional<Duration> credentialAge, Optional<Instant> nextRefresh, String cacheState,
                         String mode) {

    static AuthStatus of(SecretsAuth engine, Instant now) {
        SecretsAuthConfig cfg = engine.config();
        Optional<ProviderBinding> first = engine.chain().stream().findFirst();
        String type = first.map(b -> switch (b.mode()) {
            case BEARER, BASIC -> cfg.headerName().equalsIgnoreCase("Authorization") ? b.mode().id() : "custom header";
            case RAW -> "raw";
        }).orElse("none");
        if (engine.headerSource().signsEachRequest()) {
            type = "sigv4";
        } else if (type.equals("none") && engine.settings().isSet(io.github.mlflowsecretsauth.config.ConfigKeys.TRACKING_CLIENT_CERT_PATH)) {
            type = "mtls"; // a client certificate alone; with a header provider too, the header type is reported
        }
        var cache = engine.cacheStatus();
        return new AuthStatus(cfg.trackingUriForDisplay(), type, engine.isConfigured(), cfg.isRemote(),
                first.map(ProviderBinding::name), cfg.headerName(),
                cfg.trackingUri().filter(u -> cfg.isRemote()).map(u -> cfg.allowlist().allows(u)),
                cache.fetchedAt().map(f -> Duration.between(f, now)), cache.refreshAt(), cache.state().name(),
                mode(engine.settings()));
    }

    /** mock, optional or normal, from the settings. */
    public static String mode(io.github.mlflowsecretsauth.config.Settings s) {
        if (io.github.mlflowsecretsauth.config.ConfigValues.bool(s, io.github.mlflowsecretsauth.config.ConfigKeys.MOCK, false)) {
            return "mock";
        }
        return io.github.mlflowsecretsauth.config.ConfigValues.bool(s, io.github.mlflowsecretsauth.config.ConfigKeys.OPTIONAL, false)
                ? "optional" : "normal";
    }
}
