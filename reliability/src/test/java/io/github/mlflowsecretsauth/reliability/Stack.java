package io.github.mlflowsecretsauth.reliability;

import java.util.HashMap;
import java.util.Map;

/** Settings shared by the scenarios: the Vault provider reading {@code secret/mlflow/auth}, loopback allowlisted. */
final class Stack {
    static final String SECRET_PATH = "secret/mlflow/auth";
    static final String KV_READ = "secret/data/mlflow/auth";

    private Stack() {
    }

    static Map<String, String> vaultSettings(java.net.URI vaultAddress, String vaultToken) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vaultAddress.toString());
        s.put("VAULT_TOKEN", vaultToken);
        s.put("MLFLOW_VAULT_SECRET_PATH", SECRET_PATH);
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return s;
    }
}
