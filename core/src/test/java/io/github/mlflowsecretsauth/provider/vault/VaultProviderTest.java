package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vault provider against the testkit Vault, over real HTTP. */
class VaultProviderTest {
    static final String CANARY = "CANARY-vault-token-9f8e7d6c5b4a";
    static final URI MLFLOW = URI.create("http://mlflow.company.com/api/2.0/mlflow/experiments/search");

    private final Engines engines = new Engines();
    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(engines.clock).kvMount("kv1/", 1).kvMount("team/", 2).namespace("team-a").start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", CANARY));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private Map<String, String> settings(String path) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", path);
        return s;
    }

    private Map<String, String> headers(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            return auth.headersFor(MLFLOW);
        }
    }

    @Test
    void kvV2_tokenSecret_becomesBearerHeader() {
        assertThat(headers(settings("secret/mlflow/auth"))).containsExactly(Map.entry("Authorization", "Bearer " + CANARY));
    }

    @Test
    void kvV2_explicitDataPath_worksToo() {
        assertThat(headers(settings("secret/data/mlflow/auth"))).containsEntry("Authorization", "Bearer " + CANARY);
    }

    @Test
    void kvV1_mount_isReadWithoutDataPrefix() {
        vault.putSecret("kv1/mlflow", Map.of("username", "mlflow-user", "password", "pw-1"));
        Map<String, String> s = settings("kv1/mlflow");
        s.put("MLFLOW_VAULT_AUTH_MODE", "basic");
        String expected = "Basic " + Base64.getEncoder().encodeToString("mlflow-user:pw-1".getBytes(StandardCharsets.UTF_8));
        assertThat(headers(s)).containsEntry("Authorization", expected);
    }

    @Test
    void kvV2_onAnotherMount_isFoundThroughTheMountsEndpoint() {
        vault.putSecret("team/apps/mlflow", Map.of("token", "team-token-value"));
        assertThat(headers(settings("team/apps/mlflow"))).containsEntry("Authorization", "Bearer team-token-value");
        assertThat(vault.requestCount("/v1/sys/internal/ui/mounts/team/apps/mlflow")).isEqualTo(1);
        assertThat(vault.requestCount("/v1/team/data/apps/mlflow")).isEqualTo(1);
    }

    @Test
    void customHeaderName_keepsTheScheme() {
        Map<String, String> s = settings("secret/mlflow/auth");
        s.put("MLFLOW_AUTH_HEADER_NAME", "X-MLflow-Auth");
        assertThat(headers(s)).containsExactly(Map.entry("X-MLflow-Auth", "Bearer " + CANARY));
    }

    @Test
    void rawMode_sendsTheBareToken() {
        Map<String, String> s = settings("secret/mlflow/auth");
        s.put("MLFLOW_AUTH_HEADER_NAME", "X-Api-Key");
        s.put("MLFLOW_VAULT_AUTH_MODE", "raw");
        assertThat(headers(s)).containsExactly(Map.entry("X-Api-Key", CANARY));
    }

    @Test
    void bearerMode_withUsernamePasswordSecret_saysToSetBasicMode() {
        vault.putSecret("secret/mlflow/basic", Map.of("username", "u", "password", CANARY));
        assertThatThrownBy(() -> headers(settings("secret/mlflow/basic")))
                .isInstanceOf(MalformedSecretException.class)
                .hasMessageContaining("MLFLOW_VAULT_AUTH_MODE=basic")
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void secretWithNewline_isRejected_soNoHeaderCanBeInjected() {
        vault.putSecret("secret/mlflow/evil", Map.of("token", "abc\r\nX-Injected: yes"));
        assertThatThrownBy(() -> headers(settings("secret/mlflow/evil")))
                .isInstanceOf(MalformedSecretException.class).hasMessageContaining("control character")
                .hasMessageNotContaining("X-Injected");
    }

    @Test
    void missingSecret_isNotFound_namingThePath() {
        assertThatThrownBy(() -> headers(settings("secret/mlflow/nope")))
                .isInstanceOf(SecretNotFoundException.class).hasMessageContaining("secret/mlflow/nope")
                .hasMessageContaining("MLFLOW_VAULT_SECRET_PATH");
    }

    @Test
    void badToken_isAccessDenied_withoutTheTokenInTheMessage() {
        Map<String, String> s = settings("secret/mlflow/auth");
        s.put("VAULT_TOKEN", "hvs.CANARY-bad-token-123456");
        assertThatThrownBy(() -> headers(s)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("VAULT_TOKEN").hasMessageNotContaining("CANARY-bad-token");
    }

    @Test
    void tokenWithoutReadPolicy_isDenied_namingThePolicyPath() {
        String limited = vault.createToken(TokenSpec.builder().allowedPaths("secret/data/other/*").build());
        Map<String, String> s = settings("secret/mlflow/auth");
        s.put("VAULT_TOKEN", limited);
        assertThatThrownBy(() -> headers(s)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("secret/data/mlflow/auth").hasMessageContaining("check that the token from VAULT_TOKEN is valid");
    }

    @Test
    void transient503_isRetriedWithBackoff_thenSucceeds() {
        vault.failNext(2, 503);
        assertThat(headers(settings("secret/mlflow/auth"))).containsEntry("Authorization", "Bearer " + CANARY);
        assertThat(engines.sleeps).hasSize(2);
        assertThat(engines.sleeps.get(1)).isGreaterThan(engines.sleeps.get(0));
    }

    @Test
    void sealedVault_isBackendUnavailable_afterBoundedRetries() {
        vault.setAvailable(false);
        assertThatThrownBy(() -> headers(settings("secret/mlflow/auth"))).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("503");
        assertThat(engines.sleeps).hasSize(2);
    }

    @Test
    void unreachableVault_saysWhichHostAndPort() {
        Map<String, String> s = settings("secret/mlflow/auth");
        int port = vault.port();
        vault.close();
        assertThatThrownBy(() -> headers(s)).isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining(":" + port).hasMessageContaining("VAULT_ADDR");
    }

    @Test
    void namespace_isSentAndSeparatesSecrets() {
        vault.putSecret("team-a", "secret/mlflow/auth", Map.of("token", "ns-token"));
        String nsToken = vault.createToken(TokenSpec.builder().namespace("team-a").build());
        Map<String, String> s = settings("secret/mlflow/auth");
        s.put("VAULT_TOKEN", nsToken);
        s.put("VAULT_NAMESPACE", "team-a");
        assertThat(headers(s)).containsEntry("Authorization", "Bearer ns-token");
        assertThat(vault.requests()).allSatisfy(r -> assertThat(r.namespaceHeader()).contains("team-a"));
    }

    @Test
    void appRole_logsIn_andReadsWithTheIssuedToken() {
        vault.addAppRole("mlflow", "role-123", "CANARY-secret-id-55", TokenSpec.builder().ttl(Duration.ofMinutes(20)).build());
        Map<String, String> s = settings("secret/mlflow/auth");
        s.remove("VAULT_TOKEN");
        s.put("VAULT_ROLE_ID", "role-123");
        s.put("VAULT_SECRET_ID", "CANARY-secret-id-55");
        assertThat(headers(s)).containsEntry("Authorization", "Bearer " + CANARY);
        assertThat(vault.requestCount("/v1/auth/approle/login")).isEqualTo(1);
    }

    @Test
    void appRole_badSecretId_isAccessDenied_namingTheVariables() {
        vault.addAppRole("mlflow", "role-123", "right", TokenSpec.defaults());
        Map<String, String> s = settings("secret/mlflow/auth");
        s.remove("VAULT_TOKEN");
        s.put("VAULT_ROLE_ID", "role-123");
        s.put("VAULT_SECRET_ID", "CANARY-wrong-secret-id");
        assertThatThrownBy(() -> headers(s)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("VAULT_SECRET_ID").hasMessageNotContaining("CANARY-wrong");
    }

    @Test
    void invalidConfiguration_isRejectedBeforeAnyRequest() {
        Map<String, String> s = settings("secret/mlflow/auth");
        s.put("VAULT_ADDR", "vault.company.com:8200");
        assertThatThrownBy(() -> engines.engine(s)).isInstanceOf(ConfigurationException.class).hasMessageContaining("VAULT_ADDR");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("MLFLOW_VAULT_TTL_SEC", "-5");
        assertThatThrownBy(() -> engines.engine(s)).isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_VAULT_TTL_SEC");
        s.put("MLFLOW_VAULT_TTL_SEC", "ten");
        assertThatThrownBy(() -> engines.engine(s)).isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_VAULT_TTL_SEC");
        s.remove("MLFLOW_VAULT_TTL_SEC");
        s.put("MLFLOW_VAULT_AUTH_MODE", "digest");
        assertThatThrownBy(() -> engines.engine(s)).isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_VAULT_AUTH_MODE");
        s.remove("MLFLOW_VAULT_AUTH_MODE");
        s.put("MLFLOW_AUTH_HEADER_NAME", "X Bad: header");
        assertThatThrownBy(() -> engines.engine(s)).isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_AUTH_HEADER_NAME");
        assertThat(vault.requestCount()).isZero();
    }
}
