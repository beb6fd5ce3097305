package io.github.mlflowsecretsauth.provider.oauth2;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.internal.ProviderCatalog;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client credentials kept in a secret manager ({@code MLFLOW_OAUTH2_CLIENT_SECRET_FROM}): the named provider,
 * configured by its usual variables and created through the provider catalog, is read at every token request, so a
 * rotated secret is used for the next token (and a provider that watches its secret, such as {@code file}, asks for
 * that token at once). The secret is JSON {@code {"client_id": ..., "client_secret": ...}} or the bare client secret;
 * {@code MLFLOW_OAUTH2_CLIENT_ID}, when set, wins over the JSON's id. Thread-safe.
 */
final class StoredClientCredentials implements AutoCloseable {
    private final String providerName;
    private final SecretProvider provider;
    private final Optional<String> configuredId;
    private final KnownSecrets known;

    private StoredClientCredentials(String providerName, SecretProvider provider, Optional<String> configuredId, KnownSecrets known) {
        this.providerName = providerName;
        this.provider = provider;
        this.configuredId = configuredId;
        this.known = known;
    }

    /** Creates the named provider from the same settings and engine context; it is not contacted yet. */
    static StoredClientCredentials create(String providerName, Optional<String> configuredId, ProviderContext context,
                                          ProviderCatalog catalog) {
        SecretProviderFactory factory = catalog.factory(providerName);
        if (factory == null) {
            String module = catalog.known().stream().filter(k -> k.name().equals(providerName)).map(ProviderCatalog.Known::module)
                    .findFirst().orElse("its module");
            throw new ConfigurationException(OAuth2Config.CLIENT_SECRET_FROM + "=" + providerName + " needs " + module
                    + " on the class path: add that module");
        }
        List<String> missing = factory.missingSettings(context.settings());
        if (!missing.isEmpty()) {
            throw new ConfigurationException(OAuth2Config.CLIENT_SECRET_FROM + "=" + providerName + " reads " + providerName
                    + "'s configured secret, but " + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " not set");
        }
        return new StoredClientCredentials(providerName, factory.create(context), configuredId, context.knownSecrets());
    }

    String providerName() {
        return providerName;
    }

    Map<String, String> describe() {
        return provider.describe();
    }

    /** Reads the secret now. */
    ClientCredentials read() {
        SecretValue v = provider.fetch();
        String where = v.location() + " (" + OAuth2Config.CLIENT_SECRET_FROM + "=" + providerName + ")";
        Optional<String> id;
        String secret;
        if (v.fields().isPresent()) {
            Map<String, Object> f = v.fields().get();
            id = text(f.get("client_id"));
            secret = text(f.get("client_secret")).orElseThrow(() -> noSecret(where));
        } else {
            String text = v.text().orElseGet(() -> new String(v.bytes().orElse(new byte[0]), StandardCharsets.UTF_8)).strip();
            if (text.startsWith("{")) {
                JsonNode n;
                try {
                    n = OAuth2Http.JSON.readTree(text);
                } catch (IOException e) {
                    throw new MalformedSecretException("the secret at " + where + " starts with '{' but is not valid JSON: store "
                            + "{\"client_id\": ..., \"client_secret\": ...} or the bare client secret");
                }
                id = text(n.path("client_id").isTextual() ? n.path("client_id").asText() : null);
                secret = text(n.path("client_secret").isTextual() ? n.path("client_secret").asText() : null)
                        .orElseThrow(() -> noSecret(where));
            } else if (text.isEmpty()) {
                throw noSecret(where);
            } else {
                id = Optional.empty();
                secret = text;
            }
        }
        CredentialText.requireFromBackend(secret, "the client_secret at " + where);
        known.add(secret);
        String clientId = configuredId.or(() -> id).orElseThrow(() -> new ConfigurationException(OAuth2Config.CLIENT_ID
                + " is not set and the secret at " + where + " has no client_id: set one of them"));
        CredentialText.requireFromBackend(clientId, "the client_id at " + where);
        return new ClientCredentials(clientId, Optional.of(secret));
    }

    private static Optional<String> text(Object o) {
        return o instanceof String s && !s.isBlank() ? Optional.of(s.strip()) : Optional.empty();
    }

    private static MalformedSecretException noSecret(String where) {
        return new MalformedSecretException("the secret at " + where + " holds no client_secret: store {\"client_id\": ..., "
                + "\"client_secret\": ...} or the bare client secret");
    }

    @Override
    public void close() {
        provider.close();
    }
}
