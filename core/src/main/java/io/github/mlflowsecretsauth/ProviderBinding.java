package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.header.AuthMode;
import io.github.mlflowsecretsauth.header.HeaderNames;
import io.github.mlflowsecretsauth.header.HeaderRenderer;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.retry.RetryPolicy;
import io.github.mlflowsecretsauth.secret.Credential;
import io.github.mlflowsecretsauth.secret.CredentialParser;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.internal.ScrubbedErrors;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
        Instant now = clock.instant();
        secret.expiresAt().filter(exp -> !exp.isAfter(now)).ifPresent(exp -> {
            throw new BackendUnavailableException(provider.name() + " returned a credential that expired at " + exp
                    + " (now " + now + "); check the identity provider's token lifetime and this machine's clock", null);
        });
        HeaderSnapshot snapshot = HeaderSnapshot.of(headerName, value, checkedExtraHeaders(secret), mode,
                provider.name(), secret.location(), secret.version(), now, secret.expiresAt());
        LOG.debug("fetched credential from {} ({}{}); {}: {}", provider.name(), secret.location(),
                secret.version().map(v -> ", version " + v).orElse(""), headerName, snapshot.maskedValue());
        return snapshot;
    }

    /**
     * How long the engine keeps this snapshot: until the credential's own expiry for a minted token, else the
     * provider's TTL ({@code MLFLOW_X_TTL_SEC}).
     */
    Duration lifetimeOf(HeaderSnapshot snapshot) {
        return snapshot.expiresAt().map(exp -> Duration.between(clock.instant(), exp)).filter(d -> !d.isNegative()
                && !d.isZero()).orElse(ttl);
    }

    private Map<String, String> checkedExtraHeaders(SecretValue secret) {
        Map<String, String> extra = secret.extraHeaders();
        for (Map.Entry<String, String> h : extra.entrySet()) {
            if (!HeaderNames.isToken(h.getKey())) {
                throw new MalformedSecretException(provider.name() + " asked for an extra header whose name is not a"
                        + " valid HTTP header name (" + secret.location() + ")");
            }
            if (h.getKey().equalsIgnoreCase(headerName)) {
                throw new MalformedSecretException(provider.name() + " asked for an extra " + h.getKey() + " header, which"
                        + " is the credential header itself; set MLFLOW_AUTH_HEADER_NAME to another header");
            }
            CredentialText.problemAsIs(h.getValue()).ifPresent(p -> {
                throw new MalformedSecretException("the " + h.getKey() + " header from " + secret.location() + " "
                        + p.text() + "; fix the value it comes from");
            });
        }
        return extra;
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
