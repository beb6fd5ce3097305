package io.github.mlflowsecretsauth.cli;

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

/** info and doctor with the gcp-id-token provider against the testkit's Google token endpoint. */
class GcpIdTokenDoctorTest {
    private static final String AUDIENCE = "https://mlflow-abc123-uc.a.run.app";

    @TempDir
    Path dir;
    private GcpSecretManagerServer gcp;
    private ServiceAccount caller;
    private Path key;

    @BeforeEach
    void start() throws Exception {
        gcp = GcpSecretManagerServer.builder().start();
        caller = gcp.createServiceAccount("mlflow-caller");
        key = gcp.writeKeyFile(caller, dir.resolve("key.json"));
        Files.createDirectories(dir.resolve("gcloud"));
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-id-token");
        e.put("MLFLOW_GCP_ID_TOKEN_AUDIENCE", AUDIENCE);
        e.put("GOOGLE_APPLICATION_CREDENTIALS", key.toString());
        e.put("CLOUDSDK_CONFIG", dir.resolve("gcloud").toString());
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return e;
    }

    @Test
    void doctor_mintsAnIdToken_andShowsItsAudienceIssuerAndExpiry_neverTheToken() {
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("✅ Secret retrieval (gcp-id-token)").contains("audience: " + AUDIENCE + " (MLFLOW_GCP_ID_TOKEN_AUDIENCE)")
                .contains("service account: " + caller.email());
        // the masked header (first and last four characters) is all of the token doctor shows
        assertThat(r.all()).doesNotContainPattern("eyJ[A-Za-z0-9_-]{12,}").doesNotContain("PRIVATE KEY").contains("Bearer eyJr****");
        assertThat(gcp.idTokensIssued()).isPositive();
    }

    @Test
    void aMissingAudience_isNamedByInfo() {
        Map<String, String> e = env();
        e.remove("MLFLOW_GCP_ID_TOKEN_AUDIENCE");
        CliRunner.Result r = CliRunner.run(e, dir, "info");
        assertThat(r.all()).contains("MLFLOW_GCP_ID_TOKEN_AUDIENCE").doesNotContain("\tat ");
    }
}
