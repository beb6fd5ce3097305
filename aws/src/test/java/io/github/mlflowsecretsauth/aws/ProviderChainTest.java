package io.github.mlflowsecretsauth.aws;

import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.error.ProviderChainException;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.aws.AwsFault;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aws-secrets-manager provider in a chain: vault before it, file after it, each taking over when the one before fails. */
class ProviderChainTest {
    private final Engines engines = new Engines();
    private AwsServer aws;
    private VaultServer vault;
    private Path tokenFile;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        aws = AwsFixtures.server();
        aws.createSecret(SECRET, "{\"token\":\"from-aws\"}");
        vault = VaultServer.builder().clock(engines.clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "from-vault"));
        tokenFile = Files.writeString(dir.resolve("token"), "from-file\n");
    }

    @AfterEach
    void stop() {
        aws.close();
        vault.close();
    }

    private Map<String, String> settings(String enable) {
        Map<String, String> s = AwsFixtures.settings(aws);
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", enable);
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_FILE_SECRET_PATH", tokenFile.toString());
        return s;
    }

    private HeaderSnapshot snapshot(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            return auth.snapshotFor(MLFLOW).orElseThrow();
        }
    }

    @Test
    void healthyVault_comesFirst_andAwsIsNotAsked() {
        HeaderSnapshot s = snapshot(settings("vault,aws-secrets-manager,file"));
        assertThat(s.provider()).isEqualTo("vault");
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void failingVault_fallsBackToAws() {
        vault.setAvailable(false);
        HeaderSnapshot s = snapshot(settings("vault,aws-secrets-manager"));
        assertThat(s.provider()).isEqualTo("aws-secrets-manager");
        assertThat(s.headerValue()).isEqualTo("Bearer from-aws");
        assertThat(aws.signingKeys("GetSecretValue")).containsExactly(PROJECT.accessKeyId());
    }

    @Test
    void awsDenied_fallsBackToFile() {
        aws.deny(PROJECT.accessKeyId(), SECRET, true);
        HeaderSnapshot s = snapshot(settings("aws-secrets-manager,file"));
        assertThat(s.provider()).isEqualTo("file");
        assertThat(s.headerValue()).isEqualTo("Bearer from-file");
    }

    @Test
    void awsThrottledBeyondItsRetries_fallsBackToFile() {
        aws.failNext(10, AwsFault.THROTTLING);
        HeaderSnapshot s = snapshot(settings("aws-secrets-manager,file"));
        assertThat(s.provider()).isEqualTo("file");
        assertThat(aws.calls("GetSecretValue")).hasSize(3);
    }

    @Test
    void everyProviderFailing_namesEachReason() {
        vault.setAvailable(false);
        aws.deny(PROJECT.accessKeyId(), SECRET, true);
        try (SecretsAuth auth = engines.engine(settings("vault,aws-secrets-manager"))) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(ProviderChainException.class)
                    .hasMessageContaining("vault: ").hasMessageContaining("aws-secrets-manager: AWS Secrets Manager denied")
                    .hasMessageNotContaining(PROJECT.secretAccessKey()).hasMessageNotContaining("from-aws");
        }
    }
}
