package io.github.mlflowsecretsauth.demo;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The local demo end to end, from the packaged jar, as `make demo` runs it on a machine without Docker. */
class LocalDemoIT {
    record Run(int exit, String output) {
    }

    private static Run demo(Map<String, String> env) throws Exception {
        Path target = Path.of("target");
        Path jar;
        try (var files = Files.list(target)) {
            jar = files.filter(p -> p.getFileName().toString().matches("mlflow-secrets-auth-demo-.*-all\\.jar")).findFirst().orElseThrow();
        }
        Path repo = Path.of("..", "..").toAbsolutePath().normalize();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-jar", jar.toString(), repo.toString())).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_") || k.startsWith("DEMO_")
                || k.equals("AUTH_MODE"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void tellsTheWholeStory_inBothAuthModes_withoutPrintingASecret() throws Exception {
        Run r = demo(Map.of());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("HTTP 401 (rejected, as expected)").contains("AUTH_MODE=basic").contains("AUTH_MODE=bearer")
                .contains("Validated: the server holds 3 runs with auth_mode=basic")
                .contains("Validated: the server holds 3 runs with auth_mode=bearer").contains("✅ Demo complete.")
                .doesNotContain(LocalDemo.PASSWORD).doesNotContain(LocalDemo.TOKEN);
    }

    @Test
    void wrongSecretInVault_failsWithTheSeedMessage() throws Exception {
        Run r = demo(Map.of("AUTH_MODE", "bearer", "DEMO_SECRET_TOKEN", "not-the-api-key-0000000000"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.output()).contains("MLflow authentication error (HTTP 401): Invalid credentials")
                .contains("❌ doctor failed for AUTH_MODE=bearer").doesNotContain("Demo complete");
    }
}
