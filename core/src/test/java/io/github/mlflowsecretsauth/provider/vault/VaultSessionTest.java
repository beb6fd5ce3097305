package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Vault token lifecycle: renewal ahead of expiry and AppRole re-login, driven by a fake clock. */
class VaultSessionTest {
    private static final URI MLFLOW = URI.create("http://mlflow.company.com/");

    private final Engines engines = new Engines();
    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(engines.clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "mlflow-token"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private Map<String, String> base() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_VAULT_TTL_SEC", "300");
        return s;
    }

    @Test
    void renewableToken_isRenewedBeforeItExpires_soALongRunningProcessKeepsWorking() {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(2)).renewable(true).build());
        Map<String, String> s = base();
        s.put("VAULT_TOKEN", token);
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.headersFor(MLFLOW)).isNotEmpty();
            for (int minute = 0; minute < 60; minute++) {
                engines.scheduler.advance(Duration.ofMinutes(1));
                assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer mlflow-token");
            }
            assertThat(vault.requestCount("/v1/auth/token/renew-self")).isGreaterThanOrEqualTo(30);
            assertThat(auth.cacheStats().failures()).isZero();
        }
    }

    @Test
    void appRoleToken_atItsMaxTtl_isReplacedByANewLogin() {
        vault.addAppRole("mlflow", "role-1", "secret-1",
                TokenSpec.builder().ttl(Duration.ofMinutes(5)).maxTtl(Duration.ofMinutes(15)).renewable(true).build());
        Map<String, String> s = base();
        s.put("VAULT_ROLE_ID", "role-1");
        s.put("VAULT_SECRET_ID", "secret-1");
        try (SecretsAuth auth = engines.engine(s)) {
            for (int minute = 0; minute < 90; minute++) {
                assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer mlflow-token");
                engines.scheduler.advance(Duration.ofMinutes(1));
            }
            assertThat(vault.requestCount("/v1/auth/approle/login")).isGreaterThanOrEqualTo(6);
            assertThat(auth.cacheStats().failures()).isZero();
        }
    }

    @Test
    void appRoleToken_revokedByVault_isReplacedByOneNewLogin() {
        vault.addAppRole("mlflow", "role-1", "secret-1", TokenSpec.builder().ttl(Duration.ofHours(1)).build());
        Map<String, String> s = base();
        s.put("VAULT_ROLE_ID", "role-1");
        s.put("VAULT_SECRET_ID", "secret-1");
        try (SecretsAuth auth = engines.engine(s)) {
            auth.headersFor(MLFLOW);
            String issued = vault.requests().stream().filter(r -> r.path().startsWith("/v1/secret/data"))
                    .findFirst().orElseThrow().token().orElseThrow();
            vault.revokeToken(issued);
            auth.clearCache();
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer mlflow-token");
            assertThat(vault.requestCount("/v1/auth/approle/login")).isEqualTo(2);
        }
    }

    @Test
    void nonRenewableStaticToken_pastItsExpiry_failsWithAClearMessage() {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(10)).renewable(false).build());
        Map<String, String> s = base();
        s.put("VAULT_TOKEN", token);
        s.put("MLFLOW_SECRETS_STALE_IF_ERROR_SEC", "0");
        try (SecretsAuth auth = engines.engine(s)) {
            auth.headersFor(MLFLOW);
            engines.scheduler.advance(Duration.ofMinutes(11));
            auth.clearCache();
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("VAULT_TOKEN").hasMessageNotContaining(token);
        }
    }
}
