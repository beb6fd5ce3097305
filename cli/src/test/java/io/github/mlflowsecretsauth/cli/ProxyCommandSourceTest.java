package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy's start-up line for an API Gateway with IAM auth: SigV4 signing and no secret provider used to
 * end in an ArrayIndexOutOfBoundsException right after "listening".
 */
class ProxyCommandSourceTest {
    @Test
    void sigV4WithoutAnySecretProvider_isNamedAsTheCredentialSource() {
        Map<String, String> s = Map.of("MLFLOW_TRACKING_AWS_SIGV4", "true",
                "MLFLOW_AWS_ACCESS_KEY_ID", "AKIAPROJECTKEY000001",
                "MLFLOW_AWS_SECRET_ACCESS_KEY", "projectSecretKey00000000000000000000001",
                "MLFLOW_AWS_DEFAULT_REGION", "eu-west-1",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        try (SecretsAuth engine = SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build()) {
            assertThat(engine.chain()).isEmpty();
            ProxySettings.requireProvider(engine);
            assertThat(ProxyCommand.credentialSource(engine)).isEqualTo("requests signed with AWS SigV4");
        }
    }
}
