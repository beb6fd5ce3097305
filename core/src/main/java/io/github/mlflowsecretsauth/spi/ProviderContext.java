package io.github.mlflowsecretsauth.spi;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.time.Scheduler;

import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * What a provider gets from the engine: settings, time, threads, and a way to say that its secret
 * changed (so the engine refreshes now instead of at the next TTL). Immutable.
 *
 * @param settings      every setting
 * @param clock         the engine's clock; never read wall time directly
 * @param scheduler     for background work such as token renewal or file polling
 * @param random        uniform in [0, 1), for a provider's own jitter (a token renewal's schedule); injected in tests
 * @param ttl           the provider's cache TTL, {@code MLFLOW_X_TTL_SEC}
 * @param secretChanged call when the secret is known to have changed
 * @param knownSecrets  the engine's secret values: add every credential the provider sends to its backend,
 *                      and scrub the backend's error text with it
 */
public record ProviderContext(Settings settings, Clock clock, Scheduler scheduler, DoubleSupplier random,
                              Duration ttl, Runnable secretChanged, KnownSecrets knownSecrets) {

    /** A context with a registry of its own, for providers built outside an engine (tests, tools). */
    public ProviderContext(Settings settings, Clock clock, Scheduler scheduler, DoubleSupplier random, Duration ttl,
                           Runnable secretChanged) {
        this(settings, clock, scheduler, random, ttl, secretChanged, new KnownSecrets());
    }

    /**
     * {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}: the one total deadline (connect, headers and body) of each call a
     * provider makes to its backend or to a token endpoint.
     */
    public Duration fetchTimeout() {
        return ConfigValues.fetchTimeout(settings);
    }
}
