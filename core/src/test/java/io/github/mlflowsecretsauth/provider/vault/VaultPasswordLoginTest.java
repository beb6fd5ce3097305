package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** VAULT_AUTH_METHOD=userpass and ldap: VAULT_USERNAME with VAULT_PASSWORD or VAULT_PASSWORD_FILE; errors name the user. */
class VaultPasswordLoginTest {
    static final String PASSWORD = "CANARY-pass word-7f";

    private final VaultFixture f = new VaultFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"userpass", "ldap"})
    void passwordFromTheEnvironment_logsIn(String method) {
        f.vault.addUser(method, method, "alice", PASSWORD, TokenSpec.defaults());
        try (SecretProvider p = f.provider(Map.of("VAULT_AUTH_METHOD", method, "VAULT_USERNAME", "alice", "VAULT_PASSWORD", PASSWORD))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(f.vault.requestCount("/v1/auth/" + method + "/login/alice")).isEqualTo(1);
            assertThat(p.describe()).containsEntry("auth user", "alice").containsEntry("auth mount", method);
        }
    }

    @Test
    void passwordFile_dropsOneTrailingNewline_only() {
        f.vault.addUser("userpass", "people", "bob", PASSWORD + " ", TokenSpec.defaults());
        var file = f.write("pw", PASSWORD + " \n");
        try (SecretProvider p = f.provider(Map.of("VAULT_AUTH_METHOD", "userpass", "VAULT_AUTH_MOUNT", "people",
                "VAULT_USERNAME", "bob", "VAULT_PASSWORD_FILE", file.toString()))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
        }
        f.write("pw", PASSWORD + " \n\n");
        try (SecretProvider p = f.provider(Map.of("VAULT_AUTH_METHOD", "userpass", "VAULT_AUTH_MOUNT", "people",
                "VAULT_USERNAME", "bob", "VAULT_PASSWORD_FILE", file.toString()))) {
            // the second newline stays part of the password, and a password with a control character is refused unsent
            assertThatThrownBy(p::fetch).isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith("VAULT_PASSWORD_FILE (" + file + ") ").hasMessageNotContaining(PASSWORD);
            assertThat(f.vault.requestCount("/v1/auth/people/login/bob")).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"userpass", "ldap"})
    void wrongPassword_isOneLine_namingTheUser_neverThePassword(String method) {
        f.vault.addUser(method, method, "alice", "right-password", TokenSpec.defaults());
        try (SecretProvider p = f.provider(Map.of("VAULT_AUTH_METHOD", method, "VAULT_USERNAME", "alice", "VAULT_PASSWORD", PASSWORD))) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
            assertThat(e.getMessage()).startsWith("Vault " + method + " login at auth/" + method + " (user alice) failed (HTTP 400: ")
                    .endsWith("check VAULT_USERNAME and the password (VAULT_PASSWORD)")
                    .doesNotContain(PASSWORD).doesNotContain("right-password").doesNotContain("\n");
        }
    }
}
