package io.github.mlflowsecretsauth.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.testkit.s3.S3Server;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB file round-trips through S3 (S3Mock behind the signature-checking gateway) from a JVM whose heap is
 * capped at 256 MiB, with the default part size and parallel parts; the SHA-256s match. The files are in a
 * temporary directory deleted afterwards (S3Mock's store too).
 */
class S3LargeFileIT {
    private static final long SIZE = 2L * 1024 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void twoGibibytes_roundTrip_withA256MibHeap() throws Exception {
        try (S3Server s3 = S3Fixtures.server()) {
            Map<String, String> env = S3Fixtures.env(s3, "large");
            env.remove("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE"); // the defaults: 10 MiB parts, 4 in flight
            env.remove("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE");
            env.remove("MLFLOW_S3_UPLOAD_CONCURRENCY");
            env.put("MLFLOW_ARTIFACT_UPLOAD_DOWNLOAD_TIMEOUT", "900"); // S3Mock assembles 2 GiB before answering the completion
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", classpath, S3RoundTripMain.class.getName(), dir.toString(), Long.toString(SIZE)));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile());
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process child = pb.start();
            boolean done = child.waitFor(20, TimeUnit.MINUTES);
            if (!done) {
                child.destroyForcibly();
            }
            String log = java.nio.file.Files.readString(dir.resolve("child.log"), StandardCharsets.UTF_8);
            System.out.println("S3 2 GiB round trip: " + (System.nanoTime() - t0) / 1_000_000 + " ms; child says: "
                    + log.lines().filter(l -> l.startsWith("ROUNDTRIP")).findFirst().orElse("<nothing>"));
            assertThat(done).as("finished").isTrue();
            assertThat(child.exitValue()).as(tail(log)).isZero();
            assertThat(log).contains("ROUNDTRIP OK").doesNotContain("CANARY").doesNotContain(AwsFixtures.PROJECT_SECRET_KEY);
            String[] f = log.lines().filter(l -> l.startsWith("ROUNDTRIP OK")).findFirst().orElseThrow().split(" ");
            assertThat(Long.parseLong(f[4])).as("max heap").isLessThanOrEqualTo(256L * 1024 * 1024);
            assertThat(s3.gateway().maxInFlight("UploadPart")).as("parts in flight at once").isBetween(1, 4);
            assertThat(s3.gateway().signingKeys("UploadPart")).hasSize(205).containsOnly(AwsFixtures.PROJECT.accessKeyId());
        } finally {
            for (File f : dir.toFile().listFiles()) {
                f.delete();
            }
        }
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
