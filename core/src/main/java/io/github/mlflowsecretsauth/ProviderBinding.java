package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.header.AuthMode;
import io.github.mlflowsecretsauth.header.HeaderRenderer;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.retry.RetryPolicy;
import io.github.mlflowsecretsauth.secret.CredentialParser;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One configured provider in the chain, with its auth mode and TTL: fetches the secret (retrying
 * transient failures) and renders the header snapshot. Thread-safe.
 */
public final class ProviderBinding implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderBinding.class);

    private final SecretProvider provider;
    private final AuthMode mode;
    private final String modeVariable;
    private final Duration ttl;
    private final String headerName;
    private final RetryPolicy retry;
    private final Clock clock;

    ProviderBinding(SecretProvider provider, AuthMode mode, String modeVariable, Duration ttl, String headerName,
                    RetryPolicy retry, Clock clock) {
        this.provider = provider;
        this.mode = mode;
        this.modeVariable = modeVariable;
        this.ttl = ttl;
        this.headerName = headerName;
        this.retry = retry;
        this.clock = clock;
    }

    public String name() {
        return provider.name();
    }

    public AuthMode mode() {
        return mode;
    }

    public Duration ttl() {
        return ttl;
    }

    public Map<String, String> describe() {
        return provider.describe();
    }

    /** Fetches the secret now, bypassing the cache, and renders its header. */
    public HeaderSnapshot fetch() {
        SecretValue secret = retry.call(provider.name() + " fetch", provider::fetch);
        String value = HeaderRenderer.render(CredentialParser.parse(secret), mode, modeVariable, secret.location());
        HeaderSnapshot snapshot = HeaderSnapshot.of(headerName, value, mode, provider.name(), secret.location(),
                secret.version(), clock.instant());
        LOG.debug("fetched credential from {} ({}{}); {}: {}", provider.name(), secret.location(),
                secret.version().map(v -> ", version " + v).orElse(""), headerName, snapshot.maskedValue());
        return snapshot;
    }

    @Override
    public void close() {
        provider.close();
    }

    @Override
    public String toString() {
        return "ProviderBinding{" + provider.name() + ", mode=" + mode.id() + ", ttl=" + ttl.toSeconds() + "s}";
    }
}
