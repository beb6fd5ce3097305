package io.github.mlflowsecretsauth.provider.oauth2;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.internal.ProviderCatalog;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.util.List;
import java.util.Optional;

/**
 * The {@code oauth2} provider: an access token minted by any standard IdP (Keycloak, Entra ID, Okta, Auth0, Dex) with
 * the OAuth 2.0 client-credentials grant, kept until the token's own expiry. Configured by the
 * {@code MLFLOW_OAUTH2_*} variables (see {@code docs/identity/oauth2.md}); {@code MLFLOW_OAUTH2_AUTH_MODE} defaults to
 * bearer. Creating it reads the private key of {@code private_key_jwt} and the CA bundle, and contacts nothing.
 */
public final class OAuth2ProviderFactory implements SecretProviderFactory {
    /** {@code MLFLOW_OAUTH2_CLIENT_SECRET}: a credential; {@code exec} should not pass it on to its child. */
    public static final String CLIENT_SECRET = OAuth2Config.CLIENT_SECRET;
    /** {@code MLFLOW_OAUTH2_CLIENT_KEY_PATH}: where the client's private key is; like {@code MLFLOW_FILE_SECRET_PATH}. */
    public static final String CLIENT_KEY_PATH = OAuth2Config.CLIENT_KEY_PATH;

    @Override
    public String name() {
        return "oauth2";
    }

    @Override
    public int priority() {
        return 45;
    }

    @Override
    public String settingsPrefix() {
        return "OAUTH2";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return OAuth2Config.missing(settings);
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        OAuth2Config config = OAuth2Config.from(context.settings());
        OAuth2Http http = new OAuth2Http(config, context.fetchTimeout());
        Optional<ClientAssertion> assertion = config.clientAuth() == ClientAuth.PRIVATE_KEY_JWT
                ? Optional.of(ClientAssertion.load(config.keyPath().orElseThrow(), config.keyId(), context.clock()))
                : Optional.empty();
        Optional<StoredClientCredentials> stored = config.secretFrom()
                .map(p -> StoredClientCredentials.create(p, config.clientId(), context, ProviderCatalog.discover()));
        return new OAuth2SecretProvider(config, http, assertion, stored, context.clock(), context.knownSecrets());
    }
}
