package io.github.mlflowsecretsauth.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The identity source is read from the settings in DefaultAzureCredential's order, by variable names only. */
class IdentitySourceTest {
    private static IdentitySource of(Map<String, String> values) {
        return IdentitySource.resolve(Settings.builder().setAll(values).build());
    }

    @Test
    void clientSecret_winsOverCertificateAndFederatedToken_asInTheChain() {
        IdentitySource s = of(Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c", "AZURE_CLIENT_SECRET", "CANARY",
                "AZURE_CLIENT_CERTIFICATE_PATH", "/c.pem", "AZURE_FEDERATED_TOKEN_FILE", "/token"));
        assertThat(s.label()).isEqualTo("service principal with a client secret (EnvironmentCredential)");
        assertThat(s.variables()).containsExactly("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET");
        assertThat(s.toString()).doesNotContain("CANARY");
    }

    @Test
    void certificate_thenWorkloadIdentity() {
        assertThat(of(Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c", "AZURE_CLIENT_CERTIFICATE_PATH", "/c.pem",
                "AZURE_FEDERATED_TOKEN_FILE", "/token")).label()).isEqualTo("service principal with a certificate (EnvironmentCredential)");
        assertThat(of(Map.of("AZURE_TENANT_ID", "t", "AZURE_CLIENT_ID", "c", "AZURE_FEDERATED_TOKEN_FILE", "/token")).label())
                .isEqualTo("workload identity (federated token file) (WorkloadIdentityCredential)");
    }

    @Test
    void managedIdentityEndpoints_systemOrUserAssigned() {
        assertThat(of(Map.of("IDENTITY_ENDPOINT", "http://localhost:42356/msi/token")).label())
                .isEqualTo("managed identity (IDENTITY_ENDPOINT, system-assigned)");
        assertThat(of(Map.of("MSI_ENDPOINT", "http://localhost:50342/oauth2/token", "AZURE_CLIENT_ID", "c")).label())
                .isEqualTo("managed identity (MSI_ENDPOINT, user-assigned AZURE_CLIENT_ID)");
    }

    @Test
    void nothingSet_namesTheRuntimeOnlySources_andTheRestriction() {
        assertThat(of(Map.of()).label()).startsWith("managed identity (IMDS) or developer sign-in (Azure CLI");
        assertThat(of(Map.of("AZURE_TOKEN_CREDENTIALS", "dev")).label()).endsWith(", restricted by AZURE_TOKEN_CREDENTIALS=dev");
        assertThat(of(Map.of("AZURE_TOKEN_CREDENTIALS", "CANARY value!")).label()).doesNotContain("CANARY");
    }

    @Test
    void usernameAndPassword_isReportedAsDeprecated() {
        assertThat(of(Map.of("AZURE_CLIENT_ID", "c", "AZURE_USERNAME", "u", "AZURE_PASSWORD", "CANARY")).label())
                .contains("user name and password").contains("deprecated").doesNotContain("CANARY");
    }
}
