package io.github.mlflowsecretsauth.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mlflowsecretsauth.testkit.keycloak.AudienceFront;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make -C demo keycloak} end to end, as docs/identity/keycloak.md's walkthrough runs it: Keycloak, MLflow and
 * the audience-checking nginx started by {@code demo/keycloak/up.sh}, nginx refusing no token and a wrong-audience
 * token, {@code doctor}, then the MLflow Java client through {@code mlflow-secrets-auth exec}, and everything stopped.
 * About 2 to 3 minutes, most of it Keycloak's start. Uses the Keycloak that {@code proxy}'s build unpacked when there
 * is one (else the script unpacks it with Maven).
 */
class KeycloakDemoIT {

    @Test
    void fromAnEmptyShell_toRunsLoggedThroughNginxAndKeycloak_withoutPrintingASecret(@TempDir Path state) throws Exception {
        assumeTrue(AudienceFront.isAvailable(), AudienceFront.NOT_INSTALLED);
        Path repo = Path.of("..", "..").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(List.of(repo.resolve("demo/keycloak/run.sh").toString()))
                .directory(state.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("KEYCLOAK_"));
        pb.environment().put("KEYCLOAK_DEMO_STATE", state.resolve("stack").toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(420, TimeUnit.SECONDS)).isTrue();
        String output = new String(out, StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("no token                       -> HTTP 401")
                .contains("(aud without mlflow-api) -> HTTP 401")
                .contains("token audience: mlflow-api")
                .contains("Validated: the server holds 3 runs in 'keycloak-demo'")
                .contains("✅ Keycloak demo complete");
        assertThat(output).as("no client secret (36 hex digits) and no whole token")
                .doesNotContainPattern("[0-9a-f]{36}").doesNotContainPattern("eyJ[A-Za-z0-9_-]{20,}");
        assertThat(state.resolve("stack")).as("keycloak-down cleaned up").doesNotExist();
        assertThat(Files.exists(state.resolve("stack/pid"))).isFalse();
    }
}
