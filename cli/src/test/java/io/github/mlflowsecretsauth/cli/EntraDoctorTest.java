package io.github.mlflowsecretsauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor with the entra provider against the testkit's Entra ID token endpoint (real DefaultAzureCredential): scope,
 * identity source and the access token's issuer, audience, subject and expiry, never the token or the client secret.
 */
class EntraDoctorTest {
    private static final String CLIENT_ID = "3f6a9c1e-2b7d-4e8f-9a10-5c4d3e2f1a0b";
    private static final String CLIENT_SECRET = "CANARYentraDoctorSecret~0000";
    private static final String APP = "api://mlflow-doctor-app";

    @TempDir
    Path dir;
    private AzureKeyVaultServer entra;

    @BeforeEach
    void start() {
        entra = AzureKeyVaultServer.builder().start();
        entra.addServicePrincipal(CLIENT_ID, CLIENT_SECRET);
        entra.addApiResource(APP);
    }

    @AfterEach
    void stop() {
        entra.close();
    }

    private Map<String, String> env(String scope) {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "entra");
        e.put("MLFLOW_ENTRA_ID_SCOPE", scope);
        e.put("MLFLOW_AZURE_CA_BUNDLE_PATH", entra.caCertificatePem().toString());
        e.put("AZURE_AUTHORITY_HOST", entra.authorityHost().toString());
        e.put("AZURE_TENANT_ID", entra.tenantId());
        e.put("AZURE_CLIENT_ID", CLIENT_ID);
        e.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com");
        return e;
    }

    @Test
    void doctor_showsScopeIdentityAndTheTokensClaims_neverTheToken() {
        CliRunner.Result r = CliRunner.run(env(APP + "/.default"), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Secret retrieval (entra)").contains(APP + "/.default")
                .contains("service principal with a client secret (EnvironmentCredential)")
                .contains(entra.tenantId() + "/v2.0").contains(CLIENT_ID).contains("Credential expires");
        assertThat(r.all()).doesNotContain("CANARY").doesNotContainPattern("eyJ[A-Za-z0-9_-]{12,}");
    }

    @Test
    void doctor_aScopeEntraDoesNotKnow_failsWithOneLineNamingTheVariable() {
        CliRunner.Result r = CliRunner.run(env("api://not-registered/.default"), dir, "doctor");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("MLFLOW_ENTRA_ID_SCOPE").contains("AADSTS70011").doesNotContain("CANARY");
    }
}
