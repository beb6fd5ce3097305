package io.github.mlflowsecretsauth.gcp.secretmanager;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.gcp.credentials.GoogleIdentity;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import java.util.List;

/**
 * The {@code gcp-secret-manager} provider (priority 40, settings prefix {@code GCP}:
 * {@code MLFLOW_GCP_AUTH_MODE}, {@code MLFLOW_GCP_TTL_SEC}). Configured when
 * {@code MLFLOW_GCP_SECRET_NAME} is set and its project is known (in the name,
 * {@code GOOGLE_CLOUD_PROJECT}, or a service-account key's {@code project_id}); credentials are
 * Application Default Credentials ({@link GoogleIdentity}). Registered in {@code META-INF/services}.
 * Stateless.
 */
public final class SecretManagerProviderFactory implements SecretProviderFactory {
    /** The name in {@code MLFLOW_SECRETS_AUTH_ENABLE}. */
    public static final String NAME = "gcp-secret-manager";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 40;
    }

    @Override
    public String settingsPrefix() {
        return "GCP";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return SecretManagerConfig.missing(settings, GoogleIdentity.projectHint(settings));
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        GoogleIdentity identity = GoogleIdentity.resolve(context.settings());
        return new SecretManagerSecretProvider(SecretManagerConfig.from(context.settings(), identity.projectId()), identity,
                context.fetchTimeout());
    }
}
