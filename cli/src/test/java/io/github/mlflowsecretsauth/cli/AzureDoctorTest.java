package io.github.mlflowsecretsauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * info and doctor with the azure-key-vault provider against the testkit Key Vault (real Azure SDK, real
 * DefaultAzureCredential on service principal variables): vault, secret, version and identity source in
 * the report, the header built; and a failure's one-line reason.
 */
class AzureDoctorTest {
    private static final String CLIENT_ID = "3f6a9c1e-2b7d-4e8f-9a10-5c4d3e2f1a0b";
    private static final String CLIENT_SECRET = "CANARYdoctorClientSecret~0000";

    @TempDir
    Path dir;
    private AzureKeyVaultServer kv;

    @BeforeEach
    void start() {
        kv = AzureKeyVaultServer.builder().start();
        kv.addServicePrincipal(CLIENT_ID, CLIENT_SECRET);
        kv.setSecret("mlflow-auth", "{\"token\":\"CANARYsecretValue-0123456789abcdef\"}");
    }

    @AfterEach
    void stop() {
        kv.close();
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "azure-key-vault");
        e.put("AZURE_KEY_VAULT_URL", kv.vaultUrl().toString());
        e.put("MLFLOW_AZURE_SECRET_NAME", "mlflow-auth");
        e.put("MLFLOW_AZURE_CA_BUNDLE_PATH", kv.caCertificatePem().toString());
        e.put("AZURE_AUTHORITY_HOST", kv.authorityHost().toString());
        e.put("AZURE_TENANT_ID", kv.tenantId());
        e.put("AZURE_CLIENT_ID", CLIENT_ID);
        e.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com");
        return e;
    }

    @Test
    void doctor_showsVaultSecretVersionAndIdentitySource_andBuildsTheHeader() {
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("✅ Secret retrieval (azure-key-vault)").contains("Vault URL: " + kv.vaultUrl())
                .contains("Secret name: mlflow-auth").contains("Version: latest (default)")
                .contains("Identity source: service principal with a client secret (EnvironmentCredential)")
                .contains("Secret found: azure-key-vault:" + kv.vaultUrl().getRawAuthority() + "/mlflow-auth (version "
                        + kv.latestVersion("mlflow-auth").orElseThrow() + ")");
        assertThat(r.all()).doesNotContain("CANARY");
    }

    @Test
    void infoJson_reportsTheAzureFacts_withoutContactingTheVault() throws Exception {
        CliRunner.Result r = CliRunner.run(env(), dir, "info", "--json");
        assertThat(r.exit()).as(r.all()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        String text = json.toString();
        assertThat(text).contains("azure-key-vault").contains(kv.vaultUrl().toString()).contains("mlflow-auth")
                .contains("latest (default)").contains("service principal with a client secret");
        assertThat(text).doesNotContain("CANARY");
        assertThat(kv.requests()).as("info contacts no backend").isEmpty();
    }

    @Test
    void doctor_forbiddenSecret_failsWithAOneLineReasonNamingTheIdentity() {
        kv.deny(CLIENT_ID, "mlflow-auth", true);
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor", "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("denied reading 'mlflow-auth'").contains("service principal with a client secret");
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("mlflow-secrets-auth: error:");
        assertThat(r.all()).doesNotContain("CANARY").doesNotContain("\tat ");
    }

    @Test
    void doctor_httpVaultUrl_isAConfigurationFailure_namingTheVariable() {
        Map<String, String> e = env();
        e.put("AZURE_KEY_VAULT_URL", "http://myvault.vault.azure.net");
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("AZURE_KEY_VAULT_URL must be an https URL");
        assertThat(r.all()).doesNotContain("\tat ");
    }
}
