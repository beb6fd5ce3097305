package io.github.mlflowsecretsauth.azure.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DefaultAzureCredential}'s Azure CLI credential runs {@code az account get-access-token} and reads its output to
 * the end before its own process timeout applies. A fake {@code az} first on the child JVM's {@code PATH} answers a
 * token (the real credential path works), then hangs: the fetch ends within MLFLOW_SECRETS_FETCH_TIMEOUT_SEC (+ slack)
 * with the deadline's one line, never the token.
 */
class AzureCliDeadlineTest {
    static final String TOKEN = "CANARY-azure-cli-token-5d2a";
    static final long DEADLINE_MS = 1_000;
    static final long SLACK_MS = 1_000;

    @TempDir
    Path dir;

    private String[] run(String azBody, String deadlineSec) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path az = bin.resolve("az");
        Files.writeString(az, "#!/bin/sh\n" + azBody + "\n");
        Files.setPosixFilePermissions(az, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), AzureCliChild.class.getName(), deadlineSec)
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("MLFLOW_") || k.equals("IDENTITY_ENDPOINT")
                || k.equals("MSI_ENDPOINT"));
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain(TOKEN);
        String result = out.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElseThrow(() -> new AssertionError(out));
        System.out.println("Azure CLI credential, az " + (azBody.contains("sleep") ? "hangs" : "answers") + ": " + result);
        return result.split(" ", 5);
    }

    @Test
    void anAzThatAnswers_givesTheToken_andAnAzThatHangs_failsWithinTheFetchDeadline() throws Exception {
        long expires = System.currentTimeMillis() / 1000 + 3600;
        String[] ok = run("echo '{\"accessToken\": \"" + TOKEN + "\", \"expires_on\": " + expires + ", \"tokenType\": \"Bearer\", "
                + "\"subscription\": \"s\", \"tenant\": \"t\"}'", "10");
        assertThat(List.of(ok[1], ok[3])).containsExactly("ok", String.valueOf(TOKEN.length()));

        String[] hung = run("exec sleep 15", "1");
        assertThat(hung[1]).isEqualTo("failed");
        assertThat(hung[4]).startsWith(DeadlineTokenCredential.BACKEND + " did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)");
        assertThat(Long.parseLong(hung[2])).isBetween(DEADLINE_MS + DeadlineTokenCredential.GRACE.toMillis() - 50, DEADLINE_MS + SLACK_MS);
    }
}
