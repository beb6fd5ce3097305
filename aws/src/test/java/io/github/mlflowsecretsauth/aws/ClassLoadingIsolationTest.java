package io.github.mlflowsecretsauth.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user with only the core and this module on the class path gets no other cloud's classes loaded: a
 * separate JVM whose class path is this module's runtime class path (written by the build to
 * target/runtime-classpath.txt: core, the AWS SDK and their dependencies, no test jars) fetches a header
 * from the testkit Secrets Manager through {@link SecretsAuth}, with {@code -Xlog:class+load}; the log
 * must show AWS classes and no Azure, MSAL or Google ones.
 */
class ClassLoadingIsolationTest {

    /** What the child JVM runs: the engine from its system properties, one header. */
    public static final class Probe {
        public static void main(String[] args) {
            try (SecretsAuth auth = SecretsAuth.fromEnvironment()) {
                System.out.println("HEADER " + auth.headersFor(URI.create(args[0])).get("Authorization"));
            }
        }
    }

    @Test
    void onlyCoreAndAwsOnTheClassPath_fetchesAHeader_andLoadsNoAzureOrGoogleClass(@TempDir Path dir) throws Exception {
        Path runtime = Path.of("target", "runtime-classpath.txt");
        assertThat(runtime).as("written by the build (maven-dependency-plugin build-classpath)").exists();
        List<String> cp = new ArrayList<>();
        cp.add(Path.of("target", "classes").toAbsolutePath().toString());
        cp.add(Path.of("target", "test-classes").toAbsolutePath().toString()); // for Probe only
        for (String entry : Files.readString(runtime).strip().split(File.pathSeparator)) {
            cp.add(entry);
        }
        assertThat(cp).noneMatch(e -> e.contains("testkit") || e.contains("junit") || e.contains("com/azure") || e.contains("jetty"));

        Path classLog = dir.resolve("classes.log");
        try (AwsServer aws = AwsFixtures.server()) {
            aws.createSecret(AwsFixtures.SECRET, "{\"token\":\"isolated-token\"}");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + classLog, "-cp", String.join(File.pathSeparator, cp)));
            for (Map.Entry<String, String> e : AwsFixtures.settings(aws).entrySet()) {
                cmd.add("-D" + e.getKey() + "=" + e.getValue());
            }
            cmd.add(Probe.class.getName());
            cmd.add(AwsFixtures.MLFLOW.toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            pb.environment().keySet().removeIf(k -> k.startsWith("AZURE_") || k.startsWith("AWS_") || k.startsWith("MLFLOW_")
                    || k.startsWith("GOOGLE_") || k.startsWith("VAULT_"));
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("HEADER Bearer isolated-token");
        }
        List<String> loaded = Files.readAllLines(classLog).stream().filter(l -> l.contains("[class,load]"))
                .map(l -> l.substring(l.indexOf("[class,load]") + 13).split(" ")[0]).toList();
        assertThat(loaded).as("the AWS SDK did the work").anyMatch(c -> c.startsWith("software.amazon.awssdk.services.secretsmanager."));
        assertThat(loaded).noneMatch(c -> c.startsWith("com.azure.")).noneMatch(c -> c.startsWith("com.microsoft.aad."))
                .noneMatch(c -> c.startsWith("com.google."));
    }
}
