package io.github.mlflowsecretsauth.provider.env;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.header.AuthMode;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code env} provider: MLflow's own client convention, {@code MLFLOW_TRACKING_TOKEN} (Bearer) or
 * {@code MLFLOW_TRACKING_USERNAME} + {@code MLFLOW_TRACKING_PASSWORD} (Basic). The mode follows what is
 * set unless {@code MLFLOW_ENV_AUTH_MODE} says otherwise.
 */
public final class EnvProviderFactory implements SecretProviderFactory {
    public static final String TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD = "MLFLOW_TRACKING_PASSWORD";

    @Override
    public String name() {
        return "env";
    }

    @Override
    public int priority() {
        return 60;
    }

    @Override
    public String settingsPrefix() {
        return "ENV";
    }

    @Override
    public AuthMode defaultAuthMode(Settings s) {
        return !s.isSet(TOKEN) && s.isSet(USERNAME) ? AuthMode.BASIC : AuthMode.BEARER;
    }

    @Override
    public List<String> missingSettings(Settings s) {
        if (s.isSet(TOKEN) || (s.isSet(USERNAME) && s.isSet(PASSWORD))) {
            return List.of();
        }
        return List.of(TOKEN + " (or " + USERNAME + " and " + PASSWORD + ")");
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        Settings s = context.settings();
        if (s.isSet(USERNAME) != s.isSet(PASSWORD)) {
            throw new ConfigurationException((s.isSet(USERNAME) ? PASSWORD : USERNAME) + " is not set: Basic authentication needs both "
                    + USERNAME + " and " + PASSWORD);
        }
        // The one rule, at the edge: a bad byte is named by its variable here, not quoted by an HTTP client later.
        s.get(TOKEN).ifPresent(v -> CredentialText.requireSetting(v, TOKEN));
        s.get(USERNAME).ifPresent(v -> CredentialText.requireEncodedSetting(v, USERNAME));
        s.get(PASSWORD).ifPresent(v -> CredentialText.requireEncodedSetting(v, PASSWORD));
        return new SecretProvider() {
            @Override
            public String name() {
                return "env";
            }

            @Override
            public SecretValue fetch() {
                Map<String, Object> fields = new LinkedHashMap<>();
                s.get(TOKEN).ifPresent(t -> fields.put("token", t));
                s.get(USERNAME).ifPresent(u -> fields.put("username", u));
                s.get(PASSWORD).ifPresent(p -> fields.put("password", p));
                return SecretValue.ofFields(fields, "env:" + String.join("+", fields.keySet().stream()
                        .map(k -> k.equals("token") ? TOKEN : k.equals("username") ? USERNAME : PASSWORD).toList()), null);
            }

            @Override
            public Map<String, String> describe() {
                return Map.of("variables", s.isSet(TOKEN) ? TOKEN : USERNAME + ", " + PASSWORD);
            }

            @Override
            public String toString() {
                return "EnvSecretProvider";
            }
        };
    }
}
