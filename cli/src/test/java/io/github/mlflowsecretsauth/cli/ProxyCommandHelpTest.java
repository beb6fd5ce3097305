package io.github.mlflowsecretsauth.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code proxy --help} says plainly who can use a proxy without a client token, and how to require one. */
class ProxyCommandHelpTest {
    @TempDir
    Path workDir;

    @Test
    void help_saysEveryLocalProcessCanUseATokenlessProxy_andHowToRequireAToken() {
        CliRunner.Result r = CliRunner.run(Map.of(), workDir, "proxy", "--help");
        assertThat(r.exit()).isZero();
        String help = r.out().replaceAll("\\s+", " ");
        assertThat(help).contains("without a client token, EVERY local process of EVERY user on this machine can send requests")
                .contains("set MLFLOW_SECRETS_PROXY_CLIENT_TOKEN").contains("Authorization: Bearer <token>")
                .contains("export MLFLOW_TRACKING_TOKEN=<token>").contains("--client-token-file")
                .contains("Sec-Fetch-Site: cross-site").contains("'exec'");
        assertThat(r.out().lines()).as("no line wraps in an 80-column terminal").allSatisfy(l -> assertThat(l).hasSizeLessThanOrEqualTo(80));
    }
}
