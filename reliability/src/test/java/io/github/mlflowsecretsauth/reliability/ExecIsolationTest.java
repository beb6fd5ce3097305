package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 2/3 (exec): the proxy that {@code exec} starts serves only its own child, the child's environment holds
 * no credential the tool consumed, signals reach the child as themselves, and a SIGKILLed {@code exec} takes its
 * child along. Each case runs exec as a separate JVM over real sockets, with Vault and MLflow servers from the testkit.
 */
class ExecIsolationTest {
    private static final String VAULT_ROOT = "exec-iso-vault-root-77";
    private static VaultServer vault;
    private static MlflowServer mlflow;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        vault = VaultServer.builder().rootToken(VAULT_ROOT).start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        mlflow = MlflowServer.builder().start();
    }

    @AfterAll
    static void stop() {
        mlflow.close();
        vault.close();
    }

    private static Map<String, String> settings() {
        Map<String, String> s = Stack.vaultSettings(vault.address(), VAULT_ROOT);
        s.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
        s.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
        s.put("MLFLOW_TRACKING_PASSWORD", "caller-mlflow-password-55");
        s.put("MLFLOW_SECRETS_PROXY_CLIENT_TOKEN", "caller-proxy-client-token-55");
        s.put("AWS_ACCESS_KEY_ID", "AKIAGLOBALSTAYS00001");
        return s;
    }

    @Test
    void onlyTheChildMayUseTheProxy_andTheUpstreamSeesOnlyTheRealCredential() throws Exception {
        int perKind = Scale.current().name().equals("full") ? 500 : 50;
        Path tokenFile = dir.resolve("token");
        Path release = dir.resolve("release.fifo");
        assertThat(new ProcessBuilder("mkfifo", release.toString()).start().waitFor()).isZero();
        // The child says which token it was given (length and SHA-256 prefix, never the token); if the test's own
        // request is refused, the child is asked to try the proxy itself with its token (curl), so a failure explains itself.
        String script = "echo \"$MLFLOW_TRACKING_TOKEN\" > " + tokenFile + "; echo \"CHILD print " + TokenPrint.SHELL + "\"; "
                + "echo \"CHILD env $MLFLOW_TRACKING_URI "
                + "${VAULT_TOKEN:-none} ${MLFLOW_TRACKING_PASSWORD:-none} ${MLFLOW_SECRETS_PROXY_CLIENT_TOKEN:-none} "
                + "${MLFLOW_TRACKING_AUTH:-none} ${AWS_ACCESS_KEY_ID:-none}\"; read go < " + release + "; "
                + "if [ \"$go\" = check ]; then echo \"CHILD own $(curl -s -o /dev/null -w '%{http_code}' -H "
                + "\"Authorization: Bearer $MLFLOW_TRACKING_TOKEN\" \"$MLFLOW_TRACKING_URI/api/2.0/mlflow/experiments/search"
                + "?max_results=1\" || echo curl-failed)\"; fi";
        int before = mlflow.calls().size();
        try (ExecProcess exec = ExecProcess.start("isolation", dir, settings(), List.of(), script)) {
            String given = TokenPrint.fromShell(exec.await("print"));
            String[] env = exec.await("env").split(" ");
            String token = Files.readString(tokenFile).strip();
            assertThat(TokenPrint.of(token)).as("the token the test read is the one the child was given").isEqualTo(given);
            assertThat(token).matches("[A-Za-z0-9_-]{43}");
            assertThat(List.of(env[1], env[2], env[3], env[4])).containsOnly("none");
            assertThat(env[5]).isEqualTo("AKIAGLOBALSTAYS00001");
            URI search = URI.create(env[0] + "/api/2.0/mlflow/experiments/search?max_results=1");
            HttpClient http = HttpClient.newHttpClient();
            String sameLength = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
            List<HttpRequest.Builder> neighbours = List.of(HttpRequest.newBuilder(search),
                    HttpRequest.newBuilder(search).header("Authorization", "Bearer " + sameLength),
                    HttpRequest.newBuilder(search).header("Authorization", "Basic " + Base64.getEncoder()
                            .encodeToString(("user:" + token).getBytes(StandardCharsets.UTF_8))),
                    HttpRequest.newBuilder(URI.create(search + "&token=" + token)));
            int refused = 0;
            List<String> answers = new ArrayList<>();
            for (int i = 0; i < perKind; i++) {
                for (HttpRequest.Builder b : neighbours) {
                    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                    refused += r.statusCode() == 401 ? 1 : 0;
                    answers.add(r.body() + r.headers().map());
                }
            }
            int otherUser = otherUserStatus(search);
            int forwardedNeighbours = mlflow.calls().size() - before;
            HttpResponse<String> own = http.send(HttpRequest.newBuilder(search).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (own.statusCode() != 200) {
                Files.writeString(release, "check\n");
                throw new AssertionError("the child's own request got " + own.statusCode() + " " + own.body() + ": the test sent "
                        + "the token with " + TokenPrint.of(token) + "; the child was given " + given + "; the child's own curl "
                        + "with its MLFLOW_TRACKING_TOKEN then got " + exec.await("own") + "; exec's output:\n" + exec.output());
            }
            Files.writeString(release, "go\n");
            assertThat(exec.exitCode()).as(exec.output()).isZero();

            List<RecordedCall> upstream = mlflow.calls().subList(before, mlflow.calls().size());
            long tokenUpstream = upstream.stream().filter(c -> c.headers().toString().contains(token) || c.query() != null
                    && c.query().contains(token)).count();
            Results.of("exec/isolation").put("neighbourRequests", neighbours.size() * perKind).put("refused401", refused)
                    .put("neighbourRequestsForwarded", forwardedNeighbours).put("otherUserStatus", otherUser)
                    .put("credentialInNeighbourAnswers", answers.stream().filter(Canary::in).count())
                    .put("childOwnStatus", own.statusCode()).put("upstreamCallsWithClientToken", tokenUpstream)
                    .put("childEnvCredentialsLeft", List.of(env[1], env[2], env[3]).stream().filter(v -> !v.equals("none")).count())
                    .record();
            assertThat(refused).isEqualTo(neighbours.size() * perKind);
            assertThat(forwardedNeighbours).isZero();
            assertThat(otherUser).isIn(401, -1);
            assertThat(answers).noneMatch(Canary::in).noneMatch(a -> a.contains(VAULT_ROOT));
            assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
            // The one call that reached MLflow carried the real credential, and the child's token was not forwarded.
            assertThat(upstream).hasSize(1).allSatisfy(c -> assertThat(c.header("Authorization")).contains("Bearer " + Canary.token(0)));
            assertThat(tokenUpstream).isZero();
            assertThat(exec.output()).doesNotContain(token).satisfies(o -> assertThat(Canary.in(o)).isFalse());
        }
    }

    @Test
    void withACustomHeader_theChildsAuthorizationHeaderIsNotForwarded() throws Exception {
        Map<String, String> s = settings();
        s.put("MLFLOW_AUTH_HEADER_NAME", "X-Mlflow-Credential");
        Path tokenFile = dir.resolve("token");
        int before = mlflow.calls().size();
        String script = "echo \"$MLFLOW_TRACKING_TOKEN\" > " + tokenFile + "; exec curl -s -o /dev/null -w 'CHILD status %{http_code}\\n' "
                + "-H \"Authorization: Bearer $MLFLOW_TRACKING_TOKEN\" \"$MLFLOW_TRACKING_URI/api/2.0/mlflow/experiments/search?max_results=1\"";
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "needs curl");
        try (ExecProcess exec = ExecProcess.start("custom-header", dir, s, List.of(), script)) {
            String status = exec.await("status");
            assertThat(status).as("the child's curl sent its token with %s; exec's output:%n%s",
                    TokenPrint.of(Files.readString(tokenFile).strip()), exec.output()).isEqualTo("200");
            assertThat(exec.exitCode()).isZero();
        }
        List<RecordedCall> upstream = mlflow.calls().subList(before, mlflow.calls().size());
        assertThat(upstream).hasSize(1);
        assertThat(upstream.get(0).header("X-Mlflow-Credential")).contains("Bearer " + Canary.token(0));
        assertThat(upstream.get(0).header("Authorization")).isEmpty();
        assertThat(upstream.get(0).headers().toString()).doesNotContain(Files.readString(tokenFile).strip());
    }

    @Test
    void theOfficialJavaClient_needsTheTokenPassedExplicitly() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = "exec '" + java + "' -cp '" + System.getProperty("java.class.path") + "' "
                + OfficialClientChild.class.getName() + " official-java";
        try (ExecProcess exec = ExecProcess.start("official-java-client", dir, settings(), List.of(), script)) {
            String plain = exec.await("plain");
            String withToken = exec.await("token");
            assertThat(exec.exitCode()).isZero();
            Results.of("exec/official-java-client").put("newMlflowClientUriStatus", plain)
                    .put("basicHostCredsWithTokenStatus", withToken).record();
            // MLflow's Java client reads no MLFLOW_TRACKING_TOKEN for http(s) URIs (MACHINE-NOTES): the proxy refuses it.
            assertThat(plain).isEqualTo("401");
            assertThat(withToken).isEqualTo("200");
        }
        assertThat(mlflow.experimentByName("official-java-plain")).isEmpty();
        assertThat(mlflow.experimentByName("official-java-token")).isPresent();
    }

    /** A request from another local user (nobody), when this test runs as root and curl is here; else -1. */
    private static int otherUserStatus(URI search) throws Exception {
        if (!"root".equals(System.getProperty("user.name")) || !Files.isExecutable(Path.of("/usr/bin/curl"))) {
            return -1;
        }
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                "/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", search.toString()).start();
        String code = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(code);
    }
}
