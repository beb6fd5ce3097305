package io.github.mlflowsecretsauth.azure.keyvault;

import io.github.mlflowsecretsauth.azure.http.AzureHttpClients;
import io.github.mlflowsecretsauth.azure.identity.IdentitySource;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import java.util.List;

/**
 * The {@code azure-key-vault} provider (priority 30, settings prefix {@code AZURE}:
 * {@code MLFLOW_AZURE_AUTH_MODE}, {@code MLFLOW_AZURE_TTL_SEC}). Configured when
 * {@code AZURE_KEY_VAULT_URL} and {@code MLFLOW_AZURE_SECRET_NAME} are set; credentials come from
 * {@code DefaultAzureCredential} over the project's settings. Registered in {@code META-INF/services}.
 * Stateless.
 */
public final class KeyVaultProviderFactory implements SecretProviderFactory {
    /** The name in {@code MLFLOW_SECRETS_AUTH_ENABLE}. */
    public static final String NAME = "azure-key-vault";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 30;
    }

    @Override
    public String settingsPrefix() {
        return "AZURE";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return KeyVaultConfig.missing(settings);
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        Settings s = context.settings();
        KeyVaultConfig config = KeyVaultConfig.from(s);
        IdentitySource identity = IdentitySource.resolve(s);
        return new KeyVaultSecretProvider(config, identity, s, AzureHttpClients.create(config.caBundle(), context.fetchTimeout()));
    }
}
