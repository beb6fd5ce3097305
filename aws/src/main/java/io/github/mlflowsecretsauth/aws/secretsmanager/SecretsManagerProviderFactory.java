package io.github.mlflowsecretsauth.aws.secretsmanager;

import io.github.mlflowsecretsauth.aws.credentials.ProfileLocations;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.credentials.ProjectRegion;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import java.util.List;
import java.util.Optional;

/**
 * The {@code aws-secrets-manager} provider (priority 20, settings prefix {@code AWS}:
 * {@code MLFLOW_AWS_AUTH_MODE}, {@code MLFLOW_AWS_TTL_SEC}). Configured when {@code MLFLOW_AWS_SECRET_ID}
 * is set and a region is known; credentials come from {@link ProjectAwsCredentials}. Registered in
 * {@code META-INF/services}. Stateless.
 */
public final class SecretsManagerProviderFactory implements SecretProviderFactory {
    /** The name in {@code MLFLOW_SECRETS_AUTH_ENABLE}. */
    public static final String NAME = "aws-secrets-manager";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public String settingsPrefix() {
        return "AWS";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        Optional<ProjectRegion> region;
        try {
            region = ProjectRegion.resolve(settings, ProfileLocations.from(settings));
        } catch (SecretsAuthException e) {
            region = Optional.empty(); // create() reports the bad value with its variable
        }
        return SecretsManagerConfig.missing(settings, region);
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        ProjectAwsCredentials credentials = ProjectAwsCredentials.resolve(context.settings());
        try {
            return new SecretsManagerSecretProvider(SecretsManagerConfig.from(context.settings(), credentials.region()), credentials);
        } catch (RuntimeException e) {
            credentials.close();
            throw e;
        }
    }
}
