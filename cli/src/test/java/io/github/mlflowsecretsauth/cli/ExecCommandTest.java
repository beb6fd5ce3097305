package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
    void childGetsAPerRunToken_andNoProviderCredential_whileANeighbourWithoutItGets401() throws Exception {
        Path toTest = dir.resolve("to-test.fifo");
        Path toChild = dir.resolve("to-child.fifo");
        for (Path fifo : List.of(toTest, toChild)) {
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        }
        Map<String, String> e = env();
        e.put("MLFLOW_TRACKING_PASSWORD", "caller-pw-1234");
        e.put("MLFLOW_SECRETS_PROXY_CLIENT_TOKEN", "caller-proxy-token-1234");
        // The child reports what it sees, then waits (on a pipe, not a timer) until the test has probed its proxy.
        CompletableFuture<CliRunner.Result> run = CompletableFuture.supplyAsync(() -> CliRunner.run(e, dir, "exec", "--", "sh", "-c",
                "echo \"$MLFLOW_TRACKING_URI ${MLFLOW_TRACKING_TOKEN:-none} ${VAULT_TOKEN:-none} ${MLFLOW_TRACKING_PASSWORD:-none} "
                        + "${MLFLOW_SECRETS_PROXY_CLIENT_TOKEN:-none} ${VAULT_ADDR:-none}\" > " + toTest + "; read go < " + toChild));
        CompletableFuture<String> report = CompletableFuture.supplyAsync(() -> readFifo(toTest));
        CompletableFuture.anyOf(report, run).get(60, TimeUnit.SECONDS);
        assertThat(report).as("exec ended before its child reported: %s", run.getNow(null)).isDone();
        String[] seen = report.get().strip().split(" ");
        try {
            assertThat(seen[1]).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url
            assertThat(List.of(seen[2], seen[3], seen[4])).containsOnly("none");
            assertThat(seen[5]).isEqualTo(vault.address().toString());
            HttpClient http = HttpClient.newHttpClient();
            URI search = URI.create(seen[0] + "/api/2.0/mlflow/experiments/search?max_results=1");
            HttpResponse<String> neighbour = http.send(HttpRequest.newBuilder(search).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(search).header("Authorization", "Bearer "
                    + seen[1].substring(1) + "x").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(mlflow.requests()).isZero();
            HttpResponse<String> own = http.send(HttpRequest.newBuilder(search).header("Authorization", "Bearer " + seen[1]).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(neighbour.statusCode()).isEqualTo(401);
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(neighbour.body() + neighbour.headers() + wrong.body()).doesNotContain("exec-pw").doesNotContain(BASIC)
                    .doesNotContain(seen[1]);
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
            assertThat(mlflow.lastAuthorization()).isEqualTo(BASIC); // the upstream sees the credential, not the token
        } finally {
            if (!run.isDone()) { // the child waits on this pipe; opening it returns once the child reads
                CompletableFuture.runAsync(() -> writeFifo(toChild)).get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(run.get(60, TimeUnit.SECONDS).exit()).isZero();
    }

    private static String readFifo(Path fifo) {
        try {
            return Files.readString(fifo);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void writeFifo(Path fifo) {
        try {
            Files.writeString(fifo, "go\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void keepEnv_keepsAVariable_andAnInvalidNameIsOneLine() {
        Path out = dir.resolve("kept.txt");
        CliRunner.Result kept = CliRunner.run(env(), dir, "exec", "--keep-env", "VAULT_TOKEN", "--keep-env", "NOT_SET_XYZ", "--",
                "sh", "-c", "echo \"${VAULT_TOKEN:-none}\" > " + out);
        assertThat(kept.exit()).as(kept.err()).isZero();
        assertThat(out).content().isEqualTo(vault.rootToken() + "\n");
        CliRunner.Result bad = CliRunner.run(env(), dir, "exec", "--keep-env", "NOT-A-NAME", "--", "true");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).isEqualTo("mlflow-secrets-auth: error: --keep-env: 'NOT-A-NAME' is not an environment "
                + "variable name (letters, digits and _, not starting with a digit)");
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
    void optionalMode_upstreamUp_theProbePassesWithTheToken_andTheChildUsesTheProxy() {
        Map<String, String> e = env();
        e.put("MLFLOW_SECRETS_AUTH_OPTIONAL", "true");
        CliRunner.Result r = CliRunner.run(e, dir, "exec", "--", "true");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).doesNotContain("in-memory tracking store");
        assertThat(mlflow.requests()).isEqualTo(1);
        assertThat(mlflow.lastAuthorization()).isEqualTo(BASIC);
    }

    @Test
    void cacheClear_withNoProxyRunning_saysSo() {
        CliRunner.Result r = CliRunner.run(env(), dir, "cache", "clear", "--proxy", "http://127.0.0.1:1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no proxy is running");
    }
}
