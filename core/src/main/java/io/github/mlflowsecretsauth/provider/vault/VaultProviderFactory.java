package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.util.List;

/** The {@code vault} provider: HashiCorp Vault KV v1/v2 with token or AppRole authentication. */
public final class VaultProviderFactory implements SecretProviderFactory {
    @Override
    public String name() {
        return "vault";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public String settingsPrefix() {
        return "VAULT";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return VaultConfig.missing(settings);
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        VaultConfig config = VaultConfig.from(context.settings());
        VaultLogins.Selected login = VaultLogins.select(context.settings());
        return VaultSecretProvider.create(config, login, context.clock(), context.scheduler(),
                context.random(), context.knownSecrets(), context.fetchTimeout());
    }
}
