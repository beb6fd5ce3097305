package io.github.mlflowsecretsauth.gcp.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the Application Default Credentials source is chosen and reported: the variable's file, then
 * gcloud's login file, then the metadata server; each file type is described by its non-secret fields.
 * Building an identity reads files only.
 */
class GoogleIdentityTest {
    private static final String REFRESH_TOKEN = "CANARYrefreshToken1//0gAbCd";
    private static final String CLIENT_SECRET = "CANARYclientSecretXyZ";

    @TempDir
    Path dir;

    private static Settings settings(Map<String, String> values) {
        return Settings.builder().setAll(values).build();
    }

    private Path gcloudDir() throws Exception {
        return Files.createDirectories(dir.resolve("gcloud"));
    }

    @Test
    void workloadIdentityFederationFile_isDescribedByAudienceAndImpersonatedAccount() throws Exception {
        Path token = Files.writeString(dir.resolve("oidc-token"), "header.payload.signature");
        Path config = Files.writeString(dir.resolve("wif.json"), """
                {"type": "external_account",
                 "audience": "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci/providers/github",
                 "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
                 "token_url": "https://sts.googleapis.com/v1/token",
                 "service_account_impersonation_url": "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/mlflow-reader@mlflow-prod.iam.gserviceaccount.com:generateAccessToken",
                 "credential_source": {"file": "%s"}}
                """.formatted(token));
        GoogleIdentity id = GoogleIdentity.resolve(settings(Map.of("GOOGLE_APPLICATION_CREDENTIALS", config.toString(),
                "CLOUDSDK_CONFIG", gcloudDir().toString())));
        assertThat(id.source()).isEqualTo(GoogleIdentity.Source.APPLICATION_CREDENTIALS_FILE);
        assertThat(id.label()).isEqualTo("workload identity federation mlflow-reader@mlflow-prod.iam.gserviceaccount.com from "
                + "GOOGLE_APPLICATION_CREDENTIALS (" + config + ")");
        assertThat(id.describe()).containsEntry("identity type", "workload identity federation (external_account)")
                .containsEntry("service account", "mlflow-reader@mlflow-prod.iam.gserviceaccount.com")
                .containsEntry("audience", "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ci/providers/github")
                .containsEntry("token endpoint", "https://sts.googleapis.com/v1/token");
        assertThat(id.projectId()).as("no network call to find a federated identity's project").isEmpty();
    }

    @Test
    void gcloudLogin_isUsedWhenNoVariableIsSet_andARefusedRefreshTokenSaysToLogInAgain() throws Exception {
        try (GcpFixtures gcp = GcpFixtures.start(dir)) {
            Path file = Files.writeString(gcloudDir().resolve("application_default_credentials.json"), """
                    {"type": "authorized_user", "client_id": "764086051850-abc.apps.googleusercontent.com",
                     "client_secret": "%s", "refresh_token": "%s", "quota_project_id": "mlflow-prod",
                     "token_uri": "%s"}
                    """.formatted(CLIENT_SECRET, REFRESH_TOKEN, gcp.server.tokenUri()));
            GoogleIdentity id = GoogleIdentity.resolve(settings(Map.of("CLOUDSDK_CONFIG", gcloudDir().toString())));
            assertThat(id.source()).isEqualTo(GoogleIdentity.Source.GCLOUD_FILE);
            assertThat(id.describe()).containsEntry("credentials", "gcloud application-default login (" + file + ")")
                    .containsEntry("identity type", "user credentials (authorized_user)");
            assertThat(id.describe().toString() + id).doesNotContain("CANARY");
            // The testkit's token endpoint knows only the JWT-bearer grant, so it refuses the refresh-token grant.
            assertThatThrownBy(id::accessToken).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("refused user credentials from gcloud application-default login")
                    .hasMessageContaining("run gcloud auth application-default login again").hasMessageNotContaining("CANARY");
        }
    }

    @Test
    void nothingConfigured_fallsBackToTheMetadataServer_withoutContactingIt() throws Exception {
        GoogleIdentity id = GoogleIdentity.resolve(settings(Map.of("CLOUDSDK_CONFIG", gcloudDir().toString())));
        assertThat(id.source()).isEqualTo(GoogleIdentity.Source.METADATA_SERVER);
        assertThat(id.describe()).containsEntry("credentials", "metadata server")
                .containsEntry("identity type", "metadata server (Compute Engine, GKE workload identity, Cloud Run)");
        assertThat(id.label()).startsWith("the metadata server (http://");
    }

    @Test
    void metadataHostOutsideTheProcessEnvironment_isRefused_becauseTheLibraryWouldIgnoreIt() throws Exception {
        Map<String, String> values = Map.of("CLOUDSDK_CONFIG", gcloudDir().toString(), "GCE_METADATA_HOST", "169.254.169.254:8080");
        assertThatThrownBy(() -> GoogleIdentity.resolve(Settings.builder().systemProperties(toProperties(values)).build()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("GCE_METADATA_HOST is set (system property) but the Google auth library reads it only from the process "
                        + "environment: export it in the environment instead");
    }

    @Test
    void explicitVariableWins_overAGcloudLogin() throws Exception {
        Files.writeString(gcloudDir().resolve("application_default_credentials.json"),
                "{\"type\": \"authorized_user\", \"client_id\": \"c\", \"client_secret\": \"s\", \"refresh_token\": \"r\"}");
        try (GcpFixtures gcp = GcpFixtures.start(Files.createDirectories(dir.resolve("sa")))) {
            GoogleIdentity id = GoogleIdentity.resolve(settings(gcp.settings("CLOUDSDK_CONFIG", gcloudDir().toString())));
            assertThat(id.source()).isEqualTo(GoogleIdentity.Source.APPLICATION_CREDENTIALS_FILE);
            assertThat(id.projectId()).contains("mlflow-prod");
        }
    }

    private static java.util.Properties toProperties(Map<String, String> values) {
        java.util.Properties p = new java.util.Properties();
        p.putAll(values);
        return p;
    }
}
