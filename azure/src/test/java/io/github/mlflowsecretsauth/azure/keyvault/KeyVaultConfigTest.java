package io.github.mlflowsecretsauth.azure.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.ProviderStatus;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testing.Engines;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration errors are one line, name the variable and say what is expected; values are not echoed. */
class KeyVaultConfigTest {
    private final Engines engines = new Engines();

    private static Map<String, String> base() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "azure-key-vault");
        s.put("AZURE_KEY_VAULT_URL", "https://myvault.vault.azure.net");
        s.put("MLFLOW_AZURE_SECRET_NAME", "mlflow-auth-token");
        s.put("AZURE_TENANT_ID", "t");
        s.put("AZURE_CLIENT_ID", "c");
        s.put("AZURE_CLIENT_SECRET", "CANARYsecret");
        return s;
    }

    private static KeyVaultConfig config(Map<String, String> s) {
        return KeyVaultConfig.from(Settings.builder().setAll(s).build());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "AZURE_KEY_VAULT_URL, http://myvault.vault.azure.net, must be an https URL",
            "AZURE_KEY_VAULT_URL, ftp://CANARYvault, must be an http or https URL",
            "AZURE_KEY_VAULT_URL, https://user:CANARYpw@myvault.vault.azure.net, must not carry user info",
            "AZURE_KEY_VAULT_URL, https://myvault.vault.azure.net/secrets/x, address only",
            "MLFLOW_AZURE_SECRET_NAME, CANARY_has_underscores, is not a Key Vault secret name",
            "MLFLOW_AZURE_SECRET_NAME, 'CANARY{\"token\":1}', is not a Key Vault secret name",
            "MLFLOW_AZURE_SECRET_VERSION, CANARYnotHex, is not a Key Vault secret version",
    })
    void badValue_isAOneLineErrorNamingTheVariable_withoutEchoingIt(String variable, String value, String expected) {
        Map<String, String> s = base();
        s.put(variable, value);
        assertThatThrownBy(() -> config(s)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(variable).hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("CANARY").doesNotContain("\n"));
    }

    @Test
    void secretName_of127Characters_isAccepted_128Rejected() {
        Map<String, String> s = base();
        s.put("MLFLOW_AZURE_SECRET_NAME", "a".repeat(127));
        assertThat(config(s).secretName()).hasSize(127);
        s.put("MLFLOW_AZURE_SECRET_NAME", "a".repeat(128));
        assertThatThrownBy(() -> config(s)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void versionLatest_orUnset_meansTheLatest_andTheUrlLosesItsTrailingSlash() {
        Map<String, String> s = base();
        s.put("AZURE_KEY_VAULT_URL", "https://myvault.vault.azure.net/");
        s.put("MLFLOW_AZURE_SECRET_VERSION", "latest");
        KeyVaultConfig c = config(s);
        assertThat(c.version()).isEmpty();
        assertThat(c.vaultUrl()).hasToString("https://myvault.vault.azure.net");
        assertThat(c.loopbackVault()).isFalse();
    }

    @Test
    void missingSettings_areListed_andTheProviderIsNotConfigured() {
        Map<String, String> s = base();
        s.remove("AZURE_KEY_VAULT_URL");
        s.remove("MLFLOW_AZURE_SECRET_NAME");
        try (SecretsAuth auth = engines.engine(s)) {
            ProviderStatus p = auth.providers().stream().filter(x -> x.name().equals("azure-key-vault")).findFirst().orElseThrow();
            assertThat(p.installed()).isTrue();
            assertThat(p.missing()).containsExactly("AZURE_KEY_VAULT_URL", "MLFLOW_AZURE_SECRET_NAME");
            assertThat(auth.isConfigured()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0} without {1}")
    @CsvSource({
            "AZURE_CLIENT_SECRET, AZURE_TENANT_ID",
            "AZURE_CLIENT_SECRET, AZURE_CLIENT_ID",
            "AZURE_CLIENT_CERTIFICATE_PATH, AZURE_TENANT_ID",
            "AZURE_FEDERATED_TOKEN_FILE, AZURE_CLIENT_ID",
    })
    void halfAServicePrincipal_isAConfigurationError_namingWhatIsMissing(String selector, String missing) {
        Map<String, String> s = base();
        s.remove("AZURE_CLIENT_SECRET");
        s.put(selector, "/CANARY/x");
        s.remove(missing);
        assertThatThrownBy(() -> engines.engine(s)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(selector + " is set but " + missing)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("CANARY").doesNotContain("\n"));
    }

    @Test
    void unreadableCaBundle_isAConfigurationErrorNamingTheVariable() {
        Map<String, String> s = base();
        s.put("MLFLOW_AZURE_CA_BUNDLE_PATH", "/nonexistent/ca.pem");
        assertThatThrownBy(() -> engines.engine(s)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_AZURE_CA_BUNDLE_PATH").hasMessageNotContaining("\n");
    }
}
