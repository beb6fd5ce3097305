package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.header.AuthMode;
import io.github.mlflowsecretsauth.header.HeaderRenderer;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.retry.RetryPolicy;
import io.github.mlflowsecretsauth.secret.Credential;
import io.github.mlflowsecretsauth.secret.CredentialParser;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.internal.ScrubbedErrors;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
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
    private final KnownSecrets known;

    ProviderBinding(SecretProvider provider, AuthMode mode, String modeVariable, Duration ttl, String headerName,
                    RetryPolicy retry, Clock clock, KnownSecrets known) {
        this.known = known;
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
        SecretValue secret;
        try {
            secret = retry.call(provider.name() + " fetch", provider::fetch);
        } catch (SecretsAuthException e) {
            throw ScrubbedErrors.scrub(e, known);
        }
        Credential credential = CredentialParser.parse(secret);
        String value = HeaderRenderer.render(credential, mode, modeVariable, secret.location());
        // Remembered so that a backend or gateway echoing it later is scrubbed from messages.
        credential.token().ifPresent(known::add);
        credential.password().ifPresent(known::add);
        int space = value.indexOf(' ');
        known.add(space > 0 ? value.substring(space + 1) : value);
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
