package io.github.mlflowsecretsauth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.testkit.gcp.GcpSecretManagerServer;
import io.github.mlflowsecretsauth.testkit.gcp.ServiceAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** info and doctor with the gcp-secret-manager provider against the testkit Secret Manager and token endpoint. */
class GcpDoctorTest {
    private static final String RESOURCE = "projects/mlflow-prod/secrets/mlflow-auth";

    @TempDir
    Path dir;
    private GcpSecretManagerServer gcp;
    private ServiceAccount reader;
    private Path key;

    @BeforeEach
    void start() throws Exception {
        gcp = GcpSecretManagerServer.builder().start();
        reader = gcp.createServiceAccount("mlflow-reader");
        key = gcp.writeKeyFile(reader, dir.resolve("key.json"));
        gcp.addVersion("mlflow-auth", "{\"token\":\"CANARYgcpDoctorValue-0123456789\"}");
        Files.createDirectories(dir.resolve("gcloud"));
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-secret-manager");
        e.put("MLFLOW_GCP_SECRET_NAME", RESOURCE);
        e.put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
        e.put("MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", gcp.endpoint().toString());
        e.put("CLOUDSDK_CONFIG", dir.resolve("gcloud").toString());
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return e;
    }

    @Test
    void doctor_showsTheGoogleIdentity_theSecretAndVersion_andBuildsTheHeader() {
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("✅ Google credentials").contains("Source: service-account key " + reader.email()
                        + " from GOOGLE_APPLICATION_CREDENTIALS").contains("Service account: " + reader.email())
                .contains("Access token: obtained").contains("Secret: " + RESOURCE).contains("Version: latest (default)")
                .contains("✅ Secret retrieval (gcp-secret-manager)");
        assertThat(r.all()).doesNotContain("CANARY").doesNotContain("ya29.").doesNotContain("PRIVATE KEY");
    }

    @Test
    void doctorJson_andInfoJson_carryTheProviderDetails() throws Exception {
        CliRunner.Result doctor = CliRunner.run(env(), dir, "doctor", "--json");
        assertThat(doctor.exit()).as(doctor.all()).isZero();
        CliRunner.Result info = CliRunner.run(env(), dir, "info", "--json");
        assertThat(info.exit()).as(info.all()).isZero();
        for (CliRunner.Result r : new CliRunner.Result[] {doctor, info}) {
            JsonNode json = new ObjectMapper().readTree(r.out());
            String text = json.toString();
            assertThat(text).contains(RESOURCE).contains("latest (default)").contains(reader.email())
                    .contains("GOOGLE_APPLICATION_CREDENTIALS (" + key + ")");
            assertThat(r.all()).doesNotContain("CANARY").doesNotContain("ya29.");
        }
        CliRunner.Result text = CliRunner.run(env(), dir, "info");
        assertThat(text.out()).contains("gcp-secret-manager").contains("enabled and configured (selected)");
    }

    @Test
    void doctor_refusedKey_failsTheGoogleCheck_namingTheSource() {
        gcp.rotateKey(reader);
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("❌ Google credentials").contains("invalid_grant").contains("GOOGLE_APPLICATION_CREDENTIALS");
        assertThat(r.all()).doesNotContain("CANARY");
    }

    @Test
    void badSecretName_isOneLine_withoutAStackTrace() {
        Map<String, String> e = env();
        e.put("MLFLOW_GCP_SECRET_NAME", "projects/x/secrets/has space");
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).isNotZero();
        assertThat(r.all()).contains("MLFLOW_GCP_SECRET_NAME").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
