package io.github.mlflowsecretsauth.provider.env;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testing.Engines;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The env provider: MLflow's MLFLOW_TRACKING_TOKEN / USERNAME / PASSWORD convention. */
class EnvProviderTest {
    private static final URI MLFLOW = URI.create("https://mlflow.company.com/");
    private final Engines engines = new Engines();

    @Test
    void token_becomesBearer() {
        try (SecretsAuth auth = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_TOKEN", "env-token"))) {
            assertThat(auth.headersFor(MLFLOW)).containsExactly(Map.entry("Authorization", "Bearer env-token"));
        }
    }

    @Test
    void usernameAndPassword_becomeBasic_withoutSettingTheMode() {
        try (SecretsAuth auth = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_USERNAME", "alice",
                "MLFLOW_TRACKING_PASSWORD", "pw"))) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void usernameWithoutPassword_andNoToken_isNotConfigured() {
        try (SecretsAuth auth = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_USERNAME", "alice"))) {
            assertThat(auth.isConfigured()).isFalse();
            assertThat(auth.providers().stream().filter(p -> p.name().equals("env")).findFirst().orElseThrow().missing())
                    .containsExactly("MLFLOW_TRACKING_TOKEN (or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)");
        }
    }

    @Test
    void tokenPlusHalfBasic_isAConfigurationError() {
        assertThatThrownBy(() -> engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_TOKEN", "t",
                "MLFLOW_TRACKING_PASSWORD", "p")).close()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_TRACKING_USERNAME");
    }
}
