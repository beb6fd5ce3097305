package io.github.mlflowsecretsauth.release;

import io.github.mlflowsecretsauth.testing.ClassPathScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The release tarball, unpacked into a folder of its own: what it holds, and that it runs from any folder without building. */
class ReleaseTarballIT {

    private static Path unpack(Path into) throws Exception {
        Path tarball = Installed.distFile("mlflow-secrets-auth-*.tar.gz");
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", into.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        return into.resolve("mlflow-secrets-auth-" + Installed.version());
    }

    @Test
    void tarball_holdsLauncherJarLicencesAndReadme_andNoTestkitClass(@TempDir Path dir) throws Exception {
        Path home = unpack(dir);

        assertThat(home.resolve("bin/mlflow-secrets-auth")).isExecutable();
        assertThat(home.resolve("LICENSE")).isNotEmptyFile();
        assertThat(home.resolve("README.txt")).content().contains("Java 17").contains("bin/mlflow-secrets-auth");
        assertThat(home.resolve("THIRD-PARTY.txt")).content()
                .contains("com.fasterxml.jackson.core:jackson-databind:").contains("info.picocli:picocli:")
                .doesNotContain("io.github.mlflowsecretsauth").doesNotContain("org.junit");
        Path jar = home.resolve("lib/mlflow-secrets-auth.jar");
        assertThat(ClassPathScan.entriesUnder(jar, "io/github/mlflowsecretsauth/cli/Main.class")).hasSize(1);
        ClassPathScan.assertTrackingStoreWithoutTestkit(List.of(jar.toString()), "the tarball's jar");
    }

    @Test
    void tarball_runsFromAnyFolder_throughALinkOnThePath(@TempDir Path dir) throws Exception {
        Path home = unpack(Files.createDirectories(dir.resolve("opt")));
        Path link = Files.createSymbolicLink(Files.createDirectories(dir.resolve("bin")).resolve("mlflow-secrets-auth"),
                home.resolve("bin/mlflow-secrets-auth"));
        Path work = Files.createDirectories(dir.resolve("elsewhere"));
        try (Installed installed = new Installed()) {
            installed.checkCommands(link, work);
        }
    }

    @Test
    void tarball_withoutItsJar_failsWithOneLine_andBuildsNothing(@TempDir Path dir) throws Exception {
        Path home = unpack(dir);
        Files.delete(home.resolve("lib/mlflow-secrets-auth.jar"));

        Installed.Run run = Installed.run(home.resolve("bin/mlflow-secrets-auth"), dir, Map.of(), "--version");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().strip()).contains("lib/mlflow-secrets-auth.jar is missing").contains("reinstall")
                .doesNotContain("\n").doesNotContain("building");
        assertThat(home.resolve("cli")).doesNotExist();
    }
}
