package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** AppRole's secret id from VAULT_SECRET_ID_FILE (re-read at each login) and VAULT_WRAPPED_SECRET_ID (unwrapped once). */
class VaultAppRoleSecretIdTest {
    static final String SECRET_ID = "CANARY-approle-secret-id-3e2d";

    private final VaultFixture f = new VaultFixture();

    @BeforeEach
    void role() {
        f.vault.addAppRole("mlflow", "role-1", SECRET_ID, TokenSpec.builder().ttl(Duration.ofMinutes(10)).renewable(false).build());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void secretIdFile_logsIn() {
        var file = f.write("secret-id", SECRET_ID + "\n");
        try (SecretProvider p = f.provider(Map.of("VAULT_ROLE_ID", "role-1", "VAULT_SECRET_ID_FILE", file.toString()))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(p.describe()).containsEntry("auth method", "approle").containsEntry("auth chosen because", "VAULT_ROLE_ID is set")
                    .containsEntry("auth identity", "role id from VAULT_ROLE_ID").containsEntry("auth mount", "approle")
                    .doesNotContainKey("auth role");
        }
    }

    @Test
    void wrappedSecretId_isUnwrappedOnce_andServesEveryLaterLogin() {
        String wrapping = f.vault.wrapSecretId(SECRET_ID, Duration.ofMinutes(5));
        try (SecretProvider p = f.provider(Map.of("VAULT_ROLE_ID", "role-1", "VAULT_WRAPPED_SECRET_ID", wrapping))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            f.scheduler.advance(Duration.ofMinutes(25)); // not renewable: a new login at about 6.5 minutes, three times
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(f.vault.requestCount("/v1/auth/approle/login")).isGreaterThanOrEqualTo(3);
            assertThat(f.vault.requestCount("/v1/sys/wrapping/unwrap")).isEqualTo(1);
        }
    }

    @Test
    void aUsedWrappingToken_isOneLine_sayingToIssueANewOne() {
        String wrapping = f.vault.wrapSecretId(SECRET_ID, Duration.ofMinutes(5));
        try (SecretProvider p = f.provider(Map.of("VAULT_ROLE_ID", "role-1", "VAULT_WRAPPED_SECRET_ID", wrapping))) {
            p.fetch();
        }
        try (SecretProvider p = f.provider(Map.of("VAULT_ROLE_ID", "role-1", "VAULT_WRAPPED_SECRET_ID", wrapping))) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
            assertThat(e.getMessage()).isEqualTo("Vault could not unwrap VAULT_WRAPPED_SECRET_ID for the approle login at auth/approle"
                    + " (role id from VAULT_ROLE_ID) (HTTP 400: wrapping token is not valid or does not exist): a wrapping token works"
                    + " once and expires; issue a new one (vault write -wrap-ttl=...)");
        }
    }

    @Test
    void aWrongSecretIdInTheFile_isOneLine_withoutIt() {
        var file = f.write("secret-id", "CANARY-wrong-secret-id\n");
        try (SecretProvider p = f.provider(Map.of("VAULT_ROLE_ID", "role-1", "VAULT_SECRET_ID_FILE", file.toString()))) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
            assertThat(e.getMessage()).startsWith("Vault approle login at auth/approle (role id from VAULT_ROLE_ID) failed (HTTP 400: "
                    + "invalid role or secret ID)").doesNotContain("CANARY").doesNotContain("role-1");
        }
    }
}
