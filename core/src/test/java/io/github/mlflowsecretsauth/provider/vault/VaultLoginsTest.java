package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which Vault login the settings select, at which mount, and why. No server: selection only. */
class VaultLoginsTest {

    private static VaultLogins.Selected select(Map<String, String> s) {
        return VaultLogins.select(Settings.builder().setAll(s).build());
    }

    @Test
    void vaultToken_selectsToken_andSaysWhy() {
        VaultLogins.Selected s = select(Map.of("VAULT_TOKEN", "hvs.CANARY-given-1"));
        assertThat(s.login().method()).isEqualTo("token");
        assertThat(s.login().given()).isTrue();
        assertThat(s.reason()).isEqualTo("VAULT_TOKEN is set");
        assertThat(s.login().toString()).doesNotContain("CANARY");
    }

    @Test
    void roleId_selectsAppRole_evenBesideAToken_asBefore() {
        VaultLogins.Selected s = select(Map.of("VAULT_TOKEN", "hvs.x-token", "VAULT_ROLE_ID", "r", "VAULT_SECRET_ID", "s"));
        assertThat(s.login().method()).isEqualTo("approle");
        assertThat(s.login().mount()).isEqualTo("approle");
        assertThat(s.reason()).isEqualTo("VAULT_ROLE_ID is set");
    }

    @Test
    void theVaultClisTokenFile_underHome_selectsToken(@TempDir Path home) throws IOException {
        Files.writeString(home.resolve(".vault-token"), "hvs.CANARY-cli-token\n");
        VaultLogins.Selected s = select(Map.of("HOME", home.toString()));
        assertThat(s.login().method()).isEqualTo("token");
        assertThat(((TokenLogin) s.login()).value()).isEqualTo("hvs.CANARY-cli-token");
        assertThat(s.reason()).contains(".vault-token exists");
    }

    @Test
    void explicitMethod_winsAndMountsAtItsName_orAtVaultAuthMount() {
        VaultLogins.Selected k = select(Map.of("VAULT_AUTH_METHOD", "Kubernetes", "VAULT_AUTH_ROLE", "mlflow", "VAULT_TOKEN", "t-1234"));
        assertThat(k.login()).isEqualTo(new KubernetesLogin("kubernetes", "mlflow",
                Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token")));
        assertThat(k.reason()).isEqualTo("VAULT_AUTH_METHOD=kubernetes");
        assertThat(k.login().label()).isEqualTo("kubernetes login at auth/kubernetes (role mlflow)");
        VaultLogins.Selected m = select(Map.of("VAULT_AUTH_METHOD", "kubernetes", "VAULT_AUTH_ROLE", "mlflow",
                "VAULT_AUTH_MOUNT", "/k8s/prod/"));
        assertThat(m.login().mount()).isEqualTo("k8s/prod");
    }

    @Test
    void vaultAuthMount_winsOverVaultApproleMount_whichKeepsWorking() {
        Map<String, String> base = Map.of("VAULT_ROLE_ID", "r", "VAULT_SECRET_ID", "s", "VAULT_APPROLE_MOUNT", "old-approle");
        assertThat(select(base).login().mount()).isEqualTo("old-approle");
        Map<String, String> both = new java.util.HashMap<>(base);
        both.put("VAULT_AUTH_MOUNT", "new-approle");
        assertThat(select(both).login().mount()).isEqualTo("new-approle");
    }

    @Test
    void eachMethodsMissingSetting_isOneLineNamingIt() {
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "kubernetes"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("VAULT_AUTH_ROLE");
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "jwt", "VAULT_AUTH_ROLE", "ci")))
                .hasMessageContaining("VAULT_JWT_PATH").hasMessageContaining("VAULT_JWT");
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "userpass", "VAULT_PASSWORD", "CANARY-pw-1")))
                .hasMessageContaining("VAULT_USERNAME").hasMessageNotContaining("CANARY");
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "ldap", "VAULT_USERNAME", "alice")))
                .hasMessageContaining("user alice").hasMessageContaining("VAULT_PASSWORD_FILE");
        assertThatThrownBy(() -> select(Map.of("VAULT_ROLE_ID", "r"))).hasMessageContaining("VAULT_SECRET_ID");
        assertThatThrownBy(() -> select(Map.of("VAULT_ROLE_ID", "r", "VAULT_SECRET_ID", "CANARY-s1", "VAULT_WRAPPED_SECRET_ID", "w-123")))
                .hasMessageContaining("only one").hasMessageNotContaining("CANARY");
        assertThatThrownBy(() -> select(Map.of())).hasMessageContaining("VAULT_AUTH_METHOD");
    }

    @Test
    void unknownOrUnsupportedMethod_isRefused_withoutEchoingTheValue() {
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "CANARY-typo"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("VAULT_AUTH_METHOD must be one of token, approle, kubernetes, jwt, cert, userpass, ldap, aws")
                .hasMessageNotContaining("CANARY");
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "cert"))).isInstanceOf(ConfigurationException.class)
                .hasMessage("VAULT_CLIENT_CERT is not set: the cert login at auth/cert needs the client certificate"
                        + " (VAULT_CLIENT_CERT) and its key (VAULT_CLIENT_KEY), PEM files");
    }

    @Test
    void aws_withoutTheAwsModule_isOneLine_sayingWhichModuleToAdd() {
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "aws", "VAULT_AUTH_ROLE", "mlflow")))
                .isInstanceOf(ConfigurationException.class).hasMessage("VAULT_AUTH_METHOD=aws needs the mlflow-secrets-auth-aws"
                        + " module on the class path: add the dependency io.github.mlflowsecretsauth:mlflow-secrets-auth-aws");
        assertThatThrownBy(() -> select(Map.of("VAULT_AUTH_METHOD", "aws"))).hasMessageContaining("VAULT_AUTH_ROLE is not set");
    }

    @Test
    void missingSettings_acceptAnyWayOfChoosingALogin() {
        assertThat(VaultConfig.missing(Settings.builder().setAll(Map.of("VAULT_ADDR", "http://v:8200",
                "MLFLOW_VAULT_SECRET_PATH", "secret/x")).build())).containsExactly(
                "VAULT_TOKEN (or VAULT_ROLE_ID and VAULT_SECRET_ID, or VAULT_AUTH_METHOD)");
        assertThat(VaultConfig.missing(Settings.builder().setAll(Map.of("VAULT_ADDR", "http://v:8200",
                "MLFLOW_VAULT_SECRET_PATH", "secret/x", "VAULT_AUTH_METHOD", "jwt")).build())).isEmpty();
    }
}
