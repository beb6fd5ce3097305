package io.github.mlflowsecretsauth.deploy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/docker/healthcheck.sh, the image's health check and the Kubernetes probes, run against a real proxy over
 * a socket: ready only on 200, live on any answer, the client token sent when one is set and never on curl's
 * command line.
 */
class HealthcheckScriptTest {
    private static final String CLIENT_TOKEN = "healthcheck-test-client-token-0123456789";
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void curlIsInstalled() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(exit(Map.of(), "curl", "--version") == 0,
                "curl is not installed (the image installs it): the health check script is not run");
    }

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private AuthProxy proxy(Map<String, String> settings, String clientToken) {
        SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(settings).build()).build();
        open.add(auth);
        AuthProxy proxy = AuthProxy.builder(auth, URI.create("http://127.0.0.1:9")).clientToken(clientToken).start();
        open.add(proxy);
        return proxy;
    }

    private static Map<String, String> usable() {
        return Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_TOKEN", "healthcheck-test-mlflow-token",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
    }

    @Test
    void usableCredential_isReadyAndLive_withTheTokenFromTheEnvironment() throws Exception {
        AuthProxy proxy = proxy(usable(), CLIENT_TOKEN);
        String port = String.valueOf(proxy.port());
        Map<String, String> env = Map.of("MLFLOW_SECRETS_PROXY_CLIENT_TOKEN", CLIENT_TOKEN);
        assertThat(script(env, port)).isZero();
        assertThat(script(env, "--live", port)).isZero();
        // Without the token the proxy answers 401: not ready, but alive.
        assertThat(script(Map.of(), port)).isEqualTo(1);
        assertThat(script(Map.of(), "--live", port)).isZero();
        assertThat(script(Map.of("MLFLOW_SECRETS_PROXY_CLIENT_TOKEN", "a-wrong-token-of-enough-length"), port)).isEqualTo(1);
    }

    @Test
    void unavailableCredential_isNotReady_butStillLive() throws Exception {
        AuthProxy proxy = proxy(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", "http://127.0.0.1:9",
                "VAULT_TOKEN", "healthcheck-test-vault-token", "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1", "MLFLOW_SECRETS_MAX_RETRIES", "0",
                "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "2"), null);
        String port = String.valueOf(proxy.port());
        assertThat(script(Map.of(), port)).as("503 while the credential cannot be fetched").isEqualTo(1);
        assertThat(script(Map.of(), "--live", port)).as("a backend outage is no reason to restart").isZero();
    }

    @Test
    void noProxy_isNeitherReadyNorLive() throws Exception {
        AuthProxy proxy = proxy(usable(), null);
        String port = String.valueOf(proxy.port());
        assertThat(script(Map.of(), port)).isZero();
        proxy.close();
        assertThat(script(Map.of(), port)).isEqualTo(1);
        assertThat(script(Map.of(), "--live", port)).isEqualTo(1);
    }

    private static int script(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", Repo.root().resolve("deploy/docker/healthcheck.sh").toString()));
        command.addAll(List.of(args));
        return exit(env, command.toArray(String[]::new));
    }

    private static int exit(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("MLFLOW_SECRETS_PROXY_CLIENT_TOKEN");
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return 127;
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        assertThat(out).as("the script never prints the token").doesNotContain(CLIENT_TOKEN);
        return p.exitValue();
    }
}
