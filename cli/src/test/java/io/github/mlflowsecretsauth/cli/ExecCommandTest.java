package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code exec} in-process: an ephemeral proxy, the child's environment, exit codes. */
class ExecCommandTest {
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("u:exec-pw".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;
    private VaultServer vault;
    private StubMlflowServer mlflow;

    @BeforeEach
    void start() throws Exception {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("username", "u", "password", "exec-pw"));
        mlflow = new StubMlflowServer("Authorization", BASIC, null);
    }

    @AfterEach
    void stop() {
        mlflow.close();
        vault.close();
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>(System.getenv());
        e.keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
        e.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        e.put("VAULT_ADDR", vault.address().toString());
        e.put("VAULT_TOKEN", vault.rootToken());
        e.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        e.put("MLFLOW_VAULT_AUTH_MODE", "basic");
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        e.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
        return e;
    }

    @Test
    void childReachesMlflowThroughTheProxy_withTheCredentialAdded() throws Exception {
        Path probe = dir.resolve("Probe.java");
        Files.writeString(probe, """
                import java.net.URI;
                import java.net.http.*;
                public class Probe {
                    public static void main(String[] a) throws Exception {
                        String base = System.getenv("MLFLOW_TRACKING_URI");
                        var r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                                + "/api/2.0/mlflow/experiments/search?max_results=1")).header("Authorization",
                                "Bearer " + System.getenv("MLFLOW_TRACKING_TOKEN")).build(), HttpResponse.BodyHandlers.ofString());
                        System.exit(r.statusCode() == 200 ? 0 : 3);
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        CliRunner.Result r = CliRunner.run(env(), dir, "exec", "--", java, probe.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(mlflow.lastAuthorization()).isEqualTo(BASIC);
    }

    @Test
    void childEnvironment_pointsAtTheProxy_andDropsTrackingAuth() {
        Path out = dir.resolve("env.txt");
        CliRunner.Result r = CliRunner.run(env(), dir, "exec", "--", "sh", "-c",
                "echo \"uri=$MLFLOW_TRACKING_URI auth=${MLFLOW_TRACKING_AUTH:-unset}\" > " + out);
        assertThat(r.exit()).isZero();
        assertThat(out).content().startsWith("uri=http://127.0.0.1:").contains("auth=unset")
                .doesNotContain(":" + mlflow.uri().getPort() + " ");
    }

    @Test
    void exitCodeOfTheCommand_isReturned() {
        assertThat(CliRunner.run(env(), dir, "exec", "--", "sh", "-c", "exit 7").exit()).isEqualTo(7);
    }

    @Test
    void missingCommand_exits127_withOneLine() {
        CliRunner.Result r = CliRunner.run(env(), dir, "exec", "--", "no-such-command-xyz");
        assertThat(r.exit()).isEqualTo(127);
        assertThat(r.err()).contains("cannot run 'no-such-command-xyz'").doesNotContain("Exception");
    }

    @Test
    void withoutAnUpstream_saysHowToGiveOne() {
        Map<String, String> e = env();
        e.remove("MLFLOW_TRACKING_URI");
        CliRunner.Result r = CliRunner.run(e, dir, "exec", "--", "true");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--upstream").contains("MLFLOW_TRACKING_URI");
    }

    @Test
    void upstreamOutsideTheAllowlist_refuses() {
        Map<String, String> e = env();
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com");
        CliRunner.Result r = CliRunner.run(e, dir, "exec", "--", "true");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("MLFLOW_SECRETS_ALLOWED_HOSTS");
        assertThat(mlflow.requests()).isZero();
    }

    @Test
    void mockMode_childGetsAnInMemoryServer_andNothingReachesMlflow() {
        Map<String, String> e = env();
        e.put("MLFLOW_SECRETS_AUTH_MOCK", "true");
        Path out = dir.resolve("uri.txt");
        CliRunner.Result r = CliRunner.run(e, dir, "exec", "--", "sh", "-c", "echo \"$MLFLOW_TRACKING_URI\" > " + out);
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("MLFLOW_SECRETS_AUTH_MOCK=true").contains("in-memory tracking store");
        assertThat(out).content().startsWith("http://127.0.0.1:");
        assertThat(mlflow.requests()).isZero();
    }

    @Test
    void optionalMode_upstreamDown_childStillRuns() throws Exception {
        Map<String, String> e = env();
        e.put("MLFLOW_SECRETS_AUTH_OPTIONAL", "true");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        e.put("MLFLOW_TRACKING_URI", "http://127.0.0.1:" + port);
        CliRunner.Result r = CliRunner.run(e, dir, "exec", "--", "sh", "-c", "exit 0");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("MLFLOW_SECRETS_AUTH_OPTIONAL=true and MLflow is unavailable");
    }

    @Test
    void cacheClear_withNoProxyRunning_saysSo() {
        CliRunner.Result r = CliRunner.run(env(), dir, "cache", "clear", "--proxy", "http://127.0.0.1:1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no proxy is running");
    }
}
