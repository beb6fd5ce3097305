package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Vault over HTTPS: VAULT_CACERT trusts its CA, VAULT_SKIP_VERIFY opts out, default trust refuses it. */
class VaultTlsTest {
    private static final URI MLFLOW = URI.create("https://mlflow.company.com/");
    private static VaultServer vault;

    @BeforeAll
    static void start() {
        vault = VaultServer.builder().tls(true).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "tls-token"));
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        return s;
    }

    private Map<String, String> headers(Map<String, String> s) {
        try (SecretsAuth auth = new Engines().engine(s)) {
            return auth.headersFor(MLFLOW);
        }
    }

    @Test
    void caCert_trustsTheServer() {
        assertThat(vault.address().getScheme()).isEqualTo("https");
        Map<String, String> s = settings();
        s.put("VAULT_CACERT", vault.caCertificatePem().toString());
        assertThat(headers(s)).containsEntry("Authorization", "Bearer tls-token");
    }

    @Test
    void withoutCaCert_theHandshakeFails_andTheMessageNamesVaultCacert() {
        assertThatThrownBy(() -> headers(settings())).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("VAULT_CACERT").hasMessageContaining(String.valueOf(vault.port()));
    }

    @Test
    void skipVerify_connectsWithoutTrust() {
        Map<String, String> s = settings();
        s.put("VAULT_SKIP_VERIFY", "true");
        assertThat(headers(s)).containsEntry("Authorization", "Bearer tls-token");
    }
}
