package io.github.mlflowsecretsauth.config;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigKeysTest {

    @Test
    void sharedNames_areExactlyAsTheSeedsSpellThem() {
        assertThat(ConfigKeys.TRACKING_AUTH).isEqualTo("MLFLOW_TRACKING_AUTH");
        assertThat(ConfigKeys.TRACKING_AUTH_VALUE).isEqualTo("mlflow_secrets_auth");
        assertThat(ConfigKeys.ENABLE).isEqualTo("MLFLOW_SECRETS_AUTH_ENABLE");
        assertThat(ConfigKeys.TRACKING_URI).isEqualTo("MLFLOW_TRACKING_URI");
        assertThat(ConfigKeys.ALLOWED_HOSTS).isEqualTo("MLFLOW_SECRETS_ALLOWED_HOSTS");
        assertThat(ConfigKeys.HEADER_NAME).isEqualTo("MLFLOW_AUTH_HEADER_NAME");
        assertThat(ConfigKeys.LOG_LEVEL).isEqualTo("MLFLOW_SECRETS_LOG_LEVEL");
    }

    @Test
    void defaults_areAuthorizationHeaderAndFiveMinuteTtl() {
        assertThat(ConfigKeys.DEFAULT_HEADER_NAME).isEqualTo("Authorization");
        assertThat(ConfigKeys.DEFAULT_TTL_SEC).isEqualTo(300);
    }

    @Test
    void authMode_buildsPerProviderName() {
        assertThat(ConfigKeys.authMode("VAULT")).isEqualTo("MLFLOW_VAULT_AUTH_MODE");
        assertThat(ConfigKeys.authMode("AWS")).isEqualTo("MLFLOW_AWS_AUTH_MODE");
        assertThat(ConfigKeys.authMode("AZURE")).isEqualTo("MLFLOW_AZURE_AUTH_MODE");
    }

    @Test
    void ttl_buildsPerProviderName() {
        assertThat(ConfigKeys.ttl("VAULT")).isEqualTo("MLFLOW_VAULT_TTL_SEC");
        assertThat(ConfigKeys.ttl("AWS")).isEqualTo("MLFLOW_AWS_TTL_SEC");
    }

    @Test
    void toggle_upperCasesAndReplacesDashes() {
        assertThat(ConfigKeys.toggle("vault")).isEqualTo("MLFLOW_SECRETS_AUTH_ENABLE_VAULT");
        assertThat(ConfigKeys.toggle("aws-secrets-manager")).isEqualTo("MLFLOW_SECRETS_AUTH_ENABLE_AWS_SECRETS_MANAGER");
        assertThat(ConfigKeys.toggle("azure-key-vault")).isEqualTo("MLFLOW_SECRETS_AUTH_ENABLE_AZURE_KEY_VAULT");
        assertThat(ConfigKeys.toggle("env")).startsWith(ConfigKeys.ENABLE_PREFIX);
    }

    @Test
    void toggle_isIndependentOfTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            assertThat(ConfigKeys.toggle("file")).isEqualTo("MLFLOW_SECRETS_AUTH_ENABLE_FILE");
            assertThat(ConfigKeys.toggle("gcp-secret-manager")).isEqualTo("MLFLOW_SECRETS_AUTH_ENABLE_GCP_SECRET_MANAGER");
        } finally {
            Locale.setDefault(saved);
        }
    }
}
