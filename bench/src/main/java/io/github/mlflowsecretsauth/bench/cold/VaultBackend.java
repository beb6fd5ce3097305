package io.github.mlflowsecretsauth.bench.cold;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The secret backend of the cold-start and refresh harnesses: the testkit Vault on loopback with an
 * optional per-answer delay, and engines that read from it with the real Vault provider. Closing
 * stops the server.
 */
final class VaultBackend implements AutoCloseable {
    static final String SECRET_PATH = "secret/mlflow/auth";
    static final URI URL = URI.create("https://mlflow.company.com/api/2.0/mlflow/runs/log-metric");

    private final VaultServer vault;

    VaultBackend(Duration latency) {
        vault = VaultServer.builder().start();
        vault.putSecret(SECRET_PATH, Map.of("token", "bench-token-0123456789abcdef"));
        vault.setLatency(latency);
    }

    /** An engine with its own cache, the default clock and scheduler, reading {@link #SECRET_PATH}. */
    SecretsAuth engine(int ttlSeconds) {
        return SecretsAuth.builder().settings(Settings.builder()
                .set("MLFLOW_SECRETS_AUTH_ENABLE", "vault")
                .set("VAULT_ADDR", vault.address().toString())
                .set("VAULT_TOKEN", vault.rootToken())
                .set("MLFLOW_VAULT_SECRET_PATH", SECRET_PATH)
                .set("MLFLOW_VAULT_TTL_SEC", Integer.toString(ttlSeconds))
                .set("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com")
                .build()).build();
    }

    /** Every request Vault received since the last reset. */
    int requests() {
        return vault.requestCount();
    }

    /** Reads of the secret itself (KV v2 data path) since the last reset. */
    int secretReads() {
        return vault.requestCount("secret/data");
    }

    /** Method and path of each request since the last reset, oldest first. */
    java.util.List<String> requestLines() {
        return vault.requests().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    void resetCounts() {
        vault.resetCounts();
    }

    @Override
    public void close() {
        vault.close();
    }
}
