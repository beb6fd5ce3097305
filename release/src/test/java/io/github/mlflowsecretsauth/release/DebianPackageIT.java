package io.github.mlflowsecretsauth.release;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installs the Debian package on this machine with {@code dpkg -i}, runs {@code /usr/bin/mlflow-secrets-auth} from a
 * user's folder against a testkit Vault, and removes the package again with {@code dpkg -r}. Runs only as root with
 * dpkg present, a package built (scripts/dist.sh skips it without dpkg-deb) and the package not already installed
 * (so a real installation is never replaced); skipped with a message otherwise.
 */
class DebianPackageIT {
    private static final String PACKAGE = "mlflow-secrets-auth";
    private static final Path INSTALLED = Path.of("/usr/bin/mlflow-secrets-auth");

    private static String dpkg(List<String> args, int expectedExit) throws Exception {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", args).isTrue();
        if (expectedExit >= 0) {
            assertThat(p.exitValue()).as("%s: %s", args, out).isEqualTo(expectedExit);
        }
        return out;
    }

    private static boolean installed() throws Exception {
        Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Status}", PACKAGE).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 && out.contains("install ok installed");
    }

    @Test
    void debianPackage_installsUsrBinLauncher_thatRunsAgainstTheTestkit_andRemovesCleanly(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "dpkg -i needs root: DebianPackageIT skipped");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "no dpkg on this machine: DebianPackageIT skipped");
        Assumptions.assumeFalse(installed(), PACKAGE + " is already installed here: DebianPackageIT leaves it alone (skipped)");
        Assumptions.assumeTrue(Installed.distFiles("mlflow-secrets-auth_*_all.deb").size() == 1,
                "no .deb was built (no dpkg-deb on this machine): DebianPackageIT skipped");
        Path deb = Installed.distFile("mlflow-secrets-auth_*_all.deb");

        dpkg(List.of("dpkg", "-i", deb.toString()), 0);
        try {
            assertThat(installed()).isTrue();
            assertThat(INSTALLED).isExecutable();
            assertThat(Path.of("/usr/lib/mlflow-secrets-auth/lib/mlflow-secrets-auth.jar")).isRegularFile();
            assertThat(Path.of("/usr/share/doc/mlflow-secrets-auth/THIRD-PARTY.txt")).isNotEmptyFile();
            Path work = Files.createDirectories(dir.resolve("user-folder"));
            try (Installed servers = new Installed()) {
                servers.checkCommands(INSTALLED, work);
            }
        } finally {
            dpkg(List.of("dpkg", "-r", PACKAGE), -1);
        }
        assertThat(installed()).isFalse();
        assertThat(INSTALLED).doesNotExist();
        assertThat(Path.of("/usr/lib/mlflow-secrets-auth")).doesNotExist();
    }
}
