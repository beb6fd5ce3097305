package io.github.mlflowsecretsauth.spi;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.header.AuthMode;

import java.util.List;

/**
 * Creates a {@link SecretProvider} from settings. Found with {@link java.util.ServiceLoader}, so a
 * user adds only the modules they need; register an implementation in
 * {@code META-INF/services/io.github.mlflowsecretsauth.spi.SecretProviderFactory}.
 */
public interface SecretProviderFactory {

    /** The name used in {@code MLFLOW_SECRETS_AUTH_ENABLE}, e.g. {@code aws-secrets-manager}. */
    String name();

    /**
     * Lower runs first: vault 10, aws-secrets-manager 20, azure-key-vault 30, entra 35, gcp-secret-manager 40,
     * gcp-id-token 41, oauth2 42, kubernetes 45, file 50, env 60.
     */
    int priority();

    /** The {@code X} in {@code MLFLOW_X_AUTH_MODE} and {@code MLFLOW_X_TTL_SEC}, e.g. {@code VAULT}. */
    String settingsPrefix();

    /** The auth mode when {@code MLFLOW_X_AUTH_MODE} is unset. */
    default AuthMode defaultAuthMode(Settings settings) {
        return AuthMode.BEARER;
    }

    /** Names of required settings that are not set; empty means fully configured. */
    List<String> missingSettings(Settings settings);

    /**
     * Creates the provider; validates formats and throws a
     * {@link io.github.mlflowsecretsauth.error.ConfigurationException} naming the bad variable.
     * Must not contact the backend.
     */
    SecretProvider create(ProviderContext context);
}
