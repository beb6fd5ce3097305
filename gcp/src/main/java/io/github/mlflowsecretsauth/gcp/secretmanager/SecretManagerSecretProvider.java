package io.github.mlflowsecretsauth.gcp.secretmanager;

import io.github.mlflowsecretsauth.gcp.credentials.GoogleIdentity;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the MLflow credential from Google Secret Manager with one REST call,
 * {@code GET /v1/projects/P/secrets/S/versions/V:access}, authorised with an access token of the
 * {@link GoogleIdentity}. A 401 makes it refresh the token once and try again. The payload is
 * checked against its CRC32C ({@link SecretPayload}) and handed to the core parser as bytes (UTF-8
 * text is parsed as JSON or a bare token). Failures are mapped by {@link SecretManagerErrors}.
 * Thread-safe.
 */
final class SecretManagerSecretProvider implements SecretProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SecretManagerSecretProvider.class);

    private final SecretManagerConfig config;
    private final GoogleIdentity identity;
    private final SecretManagerHttp http;
    private volatile String lastVersion;

    SecretManagerSecretProvider(SecretManagerConfig config, GoogleIdentity identity, java.time.Duration fetchTimeout) {
        this.config = config;
        this.identity = identity;
        this.http = new SecretManagerHttp(config, fetchTimeout);
    }

    @Override
    public String name() {
        return SecretManagerProviderFactory.NAME;
    }

    @Override
    public SecretValue fetch() {
        String token = identity.accessToken();
        SecretManagerHttp.Response r = http.get(config.accessUri(), token);
        if (r.status() == 401) {
            r = http.get(config.accessUri(), identity.refreshAfterRejection(token));
        }
        if (!r.ok()) {
            throw SecretManagerErrors.map(r, config, identity);
        }
        SecretPayload.Decoded d = SecretPayload.decode(r.body(), config.versionResource());
        lastVersion = d.version().orElse(null);
        LOG.debug("read {} ({}; got version {}) with {}", config.name().resource(), config.version(), d.version().orElse("?"),
                identity.label());
        return SecretValue.ofBytes(d.data(), config.location(), d.version().orElse(null));
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("secret", config.name().resource());
        d.put("project", config.name().project() + " (" + config.name().projectFrom() + ")");
        d.put("version", config.version().toString());
        String last = lastVersion;
        if (last != null) {
            d.put("version read", last);
        }
        d.put("endpoint", config.endpoint() + " (" + config.endpointFrom() + ")");
        config.caBundle().ifPresent(ca -> d.put("ca bundle", ca.toString()));
        identity.describe().forEach(d::putIfAbsent);
        return d;
    }

    @Override
    public String toString() {
        return "SecretManagerSecretProvider{" + config.name().resource() + ", " + config.version() + ", " + identity.label() + "}";
    }
}
