package io.github.mlflowsecretsauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.kubernetes.ProjectedVolume;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor with the kubernetes provider on a projected service-account volume: the token's issuer, audience, subject
 * and expiry and the workspace are shown, never the token; a token file that is missing fails with one line.
 */
class KubernetesDoctorTest {
    private static final TokenKey KEY = TokenKey.generate("doctor-k8s");

    @TempDir
    Path dir;

    @Test
    void doctor_showsTheTokensIssuerAudienceSubjectExpiryAndWorkspace_neverTheToken() throws Exception {
        Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String token = ProjectedVolume.serviceAccountToken(KEY, "team-a", "trainer", "mlflow", Instant.now(), exp);
        Path volume = Files.createDirectory(dir.resolve("serviceaccount"));
        ProjectedVolume v = ProjectedVolume.create(volume, "team-a", token);
        CliRunner.Result r = CliRunner.run(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "kubernetes",
                "MLFLOW_KUBERNETES_TOKEN_PATH", v.tokenPath().toString(), "MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com"),
                dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Secret retrieval (kubernetes)").contains(ProjectedVolume.ISSUER)
                .contains("system:serviceaccount:team-a:trainer").contains("mlflow").contains(exp.toString())
                .contains("team-a (" + v.namespacePath() + ")");
        assertThat(r.all()).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    @Test
    void doctor_aMissingTokenFile_failsWithOneLineNamingTheVariable() {
        CliRunner.Result r = CliRunner.run(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "kubernetes",
                "MLFLOW_KUBERNETES_TOKEN_PATH", dir.resolve("token").toString()), dir, "doctor");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("MLFLOW_KUBERNETES_TOKEN_PATH").contains("does not exist");
    }
}
