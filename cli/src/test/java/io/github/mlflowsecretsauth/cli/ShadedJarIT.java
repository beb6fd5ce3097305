package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testing.ClassPathScan;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI's runnable jar, as packaged: the CLI and the in-memory tracking store, and no testkit class. */
class ShadedJarIT {

    static Path shadedJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("mlflow-secrets-auth-cli-.*-all\\.jar")).toList();
            assertThat(jars).as("the shaded CLI jar in target/ (built by the package phase)").hasSize(1);
            return jars.get(0);
        }
    }

    @Test
    void shadedJar_holdsTheCliAndTheTrackingStore_andNoTestkitClass() throws Exception {
        Path jar = shadedJar();

        assertThat(ClassPathScan.entriesUnder(jar, "io/github/mlflowsecretsauth/cli/Main.class")).hasSize(1);
        ClassPathScan.assertTrackingStoreWithoutTestkit(List.of(jar.toString()), jar.getFileName().toString());
    }
}
