package io.github.mlflowsecretsauth.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cli.CliContext;
import io.github.mlflowsecretsauth.cli.Main;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scenario 5: credentials never reach a host outside the allowlist ({@code corpus/allowlist.jsonl}:
 * case tricks, trailing dots, user info, other spellings of an address, IPv6 forms), not even through
 * a redirect to another server, via the proxy and via the official client; and the canary never shows
 * in the proxy's metrics or health, or in any CLI command's output.
 */
class CredentialLeakTest {
    private static final Map<String, Long> COUNTS = new ConcurrentHashMap<>();

    @TempDir
    static Path workDir;

    @AfterAll
    static void report() {
        Results.Counts c = Results.of("leak-checks/credentials");
        new java.util.TreeMap<>(COUNTS).forEach(c::put);
        c.record();
    }

    private static void count(String key) {
        COUNTS.merge(key, 1L, Long::sum);
    }

    private static SecretsAuth envEngine(String allowed) {
        return SecretsAuth.builder().settings(Settings.builder().setAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env",
                "MLFLOW_TRACKING_TOKEN", Canary.token(0), "MLFLOW_SECRETS_ALLOWED_HOSTS", allowed)).build()).build();
    }

    @TestFactory
    Stream<DynamicTest> allowlistCorpus() {
        List<JsonNode> cases = Corpus.load("allowlist.jsonl");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> {
            boolean sent;
            try (SecretsAuth auth = envEngine(c.get("allowed").asText())) {
                URI uri;
                try {
                    uri = URI.create(c.get("url").asText());
                } catch (IllegalArgumentException e) {
                    uri = null; // no request can be made to it at all
                }
                sent = uri != null && !auth.headersFor(uri).isEmpty();
            }
            assertThat(sent).as(c.get("id").asText()).isEqualTo(c.get("send").asBoolean());
            count(sent ? "allowlistCasesSent" : "allowlistCasesWithheld");
        }));
    }

    @Test
    void addressAndNameOfTheSameHost_areNotInterchangeable_theProxyRefusesToStart() {
        for (String[] pair : new String[][] {{"127.0.0.1", "http://localhost:5000"}, {"localhost", "http://127.0.0.1:5000"},
                {"127.0.0.1:5000", "http://127.0.0.1:5001"}}) {
            try (SecretsAuth auth = envEngine(pair[0])) {
                assertThatThrownBy(() -> AuthProxy.builder(auth, URI.create(pair[1])).start())
                        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is not in MLFLOW_SECRETS_ALLOWED_HOSTS");
                assertThatThrownBy(() -> MlflowSecretsAuth.mlflowClient(auth, pair[1]))
                        .isInstanceOf(ConfigurationException.class).hasMessageContaining("is not in MLFLOW_SECRETS_ALLOWED_HOSTS");
                count("proxyRefusedForAnotherSpelling");
            }
        }
        try (SecretsAuth auth = envEngine("127.0.0.1")) {
            for (String url : new String[] {"http://127.0.0.1@evil.example:5000", "http://u:p@127.0.0.1:5000"}) {
                assertThatThrownBy(() -> MlflowSecretsAuth.mlflowClient(auth, url)).isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("user info");
                count("userInfoUrlRefused");
            }
        }
    }

    @Test
    void crossHostRedirects_neverCarryTheCredential_viaTheProxyOrTheOfficialClient() throws Exception {
        try (VaultServer vault = VaultServer.builder().start();
             MlflowServer mlflow = MlflowServer.builder().start();
             MlflowServer evil = MlflowServer.builder().start()) {
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
            Map<String, String> s = Stack.vaultSettings(vault.address(), vault.rootToken());
            s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1:" + mlflow.port()); // the other server shares the address, not the port
            try (SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build();
                 AuthProxy proxy = AuthProxy.builder(auth, mlflow.uri()).start()) {
                String[] targets = {"http://127.0.0.1:" + evil.port() + "/api/2.0/mlflow/experiments/search",
                        "http://localhost:" + evil.port() + "/api/2.0/mlflow/experiments/search",
                        proxy.uri() + "@127.0.0.1:" + evil.port() + "/api/2.0/mlflow/experiments/search"};
                HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build();
                for (String target : targets) {
                    for (int status : new int[] {301, 302, 307, 308}) {
                        mlflow.redirectNext(1, target.replace("http://http://", "http://"), status);
                        HttpResponse<String> r = following.send(HttpRequest.newBuilder(proxy.uri()
                                .resolve("/api/2.0/mlflow/experiments/search")).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(Canary.in(r.body())).isFalse();
                        count("redirectsViaProxy");
                    }
                }
                mlflow.clearFaults();
                try (MlflowClient client = MlflowSecretsAuth.mlflowClient(auth, mlflow.uri().toString())) {
                    String exp = client.createExperiment("leaks");
                    for (String target : targets) {
                        mlflow.redirectNext(1, target.replace("experiments/search", "experiments/get?experiment_id=" + exp), 302);
                        try {
                            client.getExperiment(exp);
                        } catch (RuntimeException e) {
                            assertThat(Canary.in(String.valueOf(e.getMessage()))).isFalse();
                        }
                        count("redirectsViaOfficialClient");
                    }
                }
                String metrics = following.send(HttpRequest.newBuilder(proxy.uri().resolve("/__mlflow-secrets-auth/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                String health = following.send(HttpRequest.newBuilder(proxy.uri().resolve("/__mlflow-secrets-auth/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("mlflow_secrets_auth");
                assertThat(Canary.in(metrics)).as("canary in metrics").isFalse();
                assertThat(Canary.in(health)).as("canary in health").isFalse();
                count("adminEndpointsScanned");
            }
            List<RecordedCall> seenByEvil = evil.calls();
            assertThat(seenByEvil).as("the redirects were followed to the other server").isNotEmpty();
            for (RecordedCall call : seenByEvil) {
                assertThat(call.header("Authorization")).as("credential sent to %s", call.path()).isEmpty();
                assertThat(call.headers().values().stream().flatMap(List::stream).anyMatch(Canary::in)).isFalse();
            }
            COUNTS.put("requestsSeenByTheOtherServer", (long) seenByEvil.size());
            COUNTS.put("credentialsSeenByTheOtherServer", seenByEvil.stream().filter(c -> c.header("Authorization").isPresent()).count());
        }
    }

    @Test
    void cliCommands_neverPrintTheCredential() throws Exception {
        try (VaultServer vault = VaultServer.builder().start(); MlflowServer mlflow = MlflowServer.builder().start()) {
            vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
            Map<String, String> env = Stack.vaultSettings(vault.address(), vault.rootToken());
            env.put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
            env.put("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth");
            String[][] commands = {{"info"}, {"info", "--json"}, {"doctor"}, {"doctor", "--json"},
                    {"doctor", "--dry-run", mlflow.uri() + "/api/2.0/mlflow/experiments/search"}, {"status"}, {"status", "--json"},
                    {"config"}, {"config", "--json"}, {"cache", "clear"}, {"--help"}, {"exec", "--", "env"}};
            for (String[] args : commands) {
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                Main.run(args, new CliContext(env, new Properties(), workDir, new PrintWriter(out), new PrintWriter(err)));
                assertThat(Canary.in(out + err.toString())).as("canary in the output of %s", String.join(" ", args)).isFalse();
                count("cliCommandsScanned");
            }
        }
    }
}
