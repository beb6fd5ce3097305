package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MLFLOW_VAULT_SECRET_VERSION pins a KV v2 version; unset, the latest is read; on KV v1 it is refused. */
class VaultSecretVersionTest {
    private final VaultFixture f = new VaultFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private SecretProvider provider(String version, String path) {
        Map<String, String> s = new HashMap<>(Map.of("VAULT_TOKEN", f.vault.rootToken(), "MLFLOW_VAULT_SECRET_PATH", path));
        if (version != null) {
            s.put("MLFLOW_VAULT_SECRET_VERSION", version);
        }
        return f.provider(s);
    }

    @Test
    void aPinnedVersion_isReadEvenAfterARotation() {
        int rotated = f.vault.putSecret("secret/mlflow/auth", Map.of("token", "rotated-token"));
        assertThat(rotated).isEqualTo(2);
        try (SecretProvider pinned = provider("1", "secret/mlflow/auth"); SecretProvider latest = provider(null, "secret/mlflow/auth")) {
            assertThat(VaultFixture.token(pinned)).isEqualTo(VaultFixture.SECRET);
            assertThat(pinned.fetch().version()).contains("1");
            assertThat(VaultFixture.token(latest)).isEqualTo("rotated-token");
            assertThat(f.vault.requestCount("/v1/secret/data/mlflow/auth")).isEqualTo(3);
            assertThat(f.vault.requests().stream().filter(r -> r.path().equals("/v1/secret/data/mlflow/auth"))
                    .map(r -> String.valueOf(r.query()))).containsExactly("version=1", "version=1", "null");
            assertThat(pinned.describe()).containsEntry("secret version", "1 (MLFLOW_VAULT_SECRET_VERSION)");
        }
    }

    @Test
    void aVersionThatDoesNotExist_isNotFound() {
        try (SecretProvider p = provider("7", "secret/mlflow/auth")) {
            assertThatThrownBy(p::fetch).isInstanceOf(SecretNotFoundException.class)
                    .hasMessage("Vault has no version 7 of secret/mlflow/auth (HTTP 404): check MLFLOW_VAULT_SECRET_VERSION"
                            + " (vault kv metadata get secret/mlflow/auth)");
        }
    }

    @Test
    void aPinOnAKvV1Mount_orNotAPositiveNumber_isAConfigurationError() {
        f.vault.close();
        VaultServer v1 = VaultServer.builder().clock(f.clock).kvMount("kv1/", 1).start();
        try {
            v1.putSecret("kv1/mlflow", Map.of("token", "v1-token"));
            Map<String, String> s = new HashMap<>(Map.of("VAULT_ADDR", v1.address().toString(), "VAULT_TOKEN", v1.rootToken(),
                    "MLFLOW_VAULT_SECRET_PATH", "kv1/mlflow", "MLFLOW_VAULT_SECRET_VERSION", "2"));
            try (SecretProvider p = f.provider(s)) {
                assertThatThrownBy(p::fetch).isInstanceOf(ConfigurationException.class)
                        .hasMessage("MLFLOW_VAULT_SECRET_VERSION pins a KV v2 version, but kv1/mlflow is on a KV v1 mount,"
                                + " which keeps one version: unset MLFLOW_VAULT_SECRET_VERSION");
            }
        } finally {
            v1.close();
        }
        assertThatThrownBy(() -> provider("0", "secret/mlflow/auth")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_VAULT_SECRET_VERSION");
        assertThatThrownBy(() -> provider("latest", "secret/mlflow/auth")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_VAULT_SECRET_VERSION");
    }
}
