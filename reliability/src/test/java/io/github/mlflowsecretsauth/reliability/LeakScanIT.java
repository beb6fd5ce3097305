package io.github.mlflowsecretsauth.reliability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 5, the canary scan: runs after every scenario (failsafe, after surefire) and reads all that
 * the scenarios left behind: every log line of their JVM ({@code target/reliability/test-jvm.log}, written
 * at DEBUG for the project's code), every surefire report and captured stdout/stderr, and the result
 * files. The canary, carried by every credential the scenarios used, must appear in none of them.
 */
class LeakScanIT {

    @Test
    void theCanaryAppearsInNoLogReportOrResultOfTheScenarios() throws IOException {
        Path dir = Path.of(System.getProperty("reliability.dir", "target/reliability"));
        Path reports = Path.of(System.getProperty("reliability.reports", "target/surefire-reports"));
        Path log = dir.resolve("test-jvm.log");
        assertThat(log).as("the scenarios' log file").exists();
        String logText = Files.readString(log, StandardCharsets.ISO_8859_1);
        // Proof that the capture works: lines the scenarios must have produced are in it.
        assertThat(logText).contains("mlflow-secrets-auth proxy listening", "replaying once with a fresh one", "refresh failed");

        List<Path> files = new ArrayList<>(List.of(log));
        try (Stream<Path> s = Files.walk(reports)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().startsWith("results.")).forEach(files::add);
        }
        assertThat(files.stream().filter(p -> p.getFileName().toString().endsWith("-output.txt"))).as("captured test output").isNotEmpty();
        long bytes = 0;
        List<String> hits = new ArrayList<>();
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            bytes += content.length;
            String text = new String(content, StandardCharsets.ISO_8859_1);
            int at = text.indexOf(Canary.VALUE);
            if (at >= 0) {
                hits.add(f.getFileName() + " (first at offset " + at + ")");
            }
        }
        Results.of("leak-checks/canary-scan").put("filesScanned", files.size()).put("bytesScanned", bytes)
                .put("logLines", logText.lines().count()).put("filesWithTheCanary", hits.size()).record();
        assertThat(hits).as("files that contain the canary").isEmpty();
    }
}
