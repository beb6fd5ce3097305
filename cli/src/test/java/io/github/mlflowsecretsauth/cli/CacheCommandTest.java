package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cache clear} against a running proxy that requires its client token. */
class CacheCommandTest {
    private static final String CLIENT_TOKEN = "proxy-client-token-0123456789abcdef";
    private static final String KV = "/v1/secret/data/mlflow/auth";

    @TempDir
    Path dir;
    private VaultServer vault;
    private StubMlflowServer mlflow;
    private SecretsAuth engine;
    private AuthProxy proxy;

    @BeforeEach
    void start() throws Exception {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "cache-test-bearer"));
        mlflow = new StubMlflowServer("Authorization", "Bearer cache-test-bearer", null);
        engine = SecretsAuth.builder().settings(Settings.builder().setAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault",
                "VAULT_ADDR", vault.address().toString(), "VAULT_TOKEN", vault.rootToken(),
                "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth", "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1")).build())
                .build();
        proxy = AuthProxy.builder(engine, mlflow.uri()).listen("127.0.0.1", 0).clientToken(CLIENT_TOKEN).start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        engine.close();
        mlflow.close();
        vault.close();
    }

    private Map<String, String> env(String token) {
        Map<String, String> e = new HashMap<>(System.getenv());
        e.keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
        if (token != null) {
            e.put("MLFLOW_SECRETS_PROXY_CLIENT_TOKEN", token);
        }
        return e;
    }

    private int throughProxy() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.uri() + "/api/2.0/mlflow/experiments/search"))
                .header("Authorization", "Bearer " + CLIENT_TOKEN).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void withoutTheToken_saysWhichVariableToSet_andClearsNothing() throws Exception {
        assertThat(throughProxy()).isEqualTo(200);
        CliRunner.Result r = CliRunner.run(env(null), dir, "cache", "clear", "--proxy", proxy.uri().toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("mlflow-secrets-auth: error: the proxy at " + proxy.uri()
                + " requires its client token: set MLFLOW_SECRETS_PROXY_CLIENT_TOKEN to the token the proxy was started with");
        vault.resetCounts();
        assertThat(throughProxy()).isEqualTo(200);
        assertThat(vault.requestCount(KV)).isZero();
    }

    @Test
    void withTheToken_clears_andASecondClearWithinASecondIsMerged() throws Exception {
        assertThat(throughProxy()).isEqualTo(200);
        CliRunner.Result first = CliRunner.run(env(CLIENT_TOKEN), dir, "cache", "clear", "--proxy", proxy.uri().toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("Cleared the credential cache").doesNotContain("merged");
        vault.resetCounts();
        assertThat(throughProxy()).isEqualTo(200);
        assertThat(vault.requestCount(KV)).isEqualTo(1);

        CliRunner.Result second = CliRunner.run(env(CLIENT_TOKEN), dir, "cache", "clear", "--proxy", proxy.uri().toString());
        assertThat(second.exit()).isZero();
        assertThat(second.out() + second.err()).doesNotContain(CLIENT_TOKEN);
        if (second.out().contains("merged")) {
            assertThat(second.out()).contains("takes effect at the end of that second");
        }
    }

    @Test
    void aTokenThatIsNotAHeaderValue_isOneLineNamingTheVariable() {
        CliRunner.Result r = CliRunner.run(env("bad\r\nX-Forged: 1"), dir, "cache", "clear", "--proxy", proxy.uri().toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("MLFLOW_SECRETS_PROXY_CLIENT_TOKEN").doesNotContain("X-Forged").doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
    }
}
