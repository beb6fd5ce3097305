package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.vault.JwtRole;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** VAULT_AUTH_METHOD=jwt (a CI system's OIDC token) against the testkit Vault's JWT method with bound claims. */
class VaultJwtLoginTest {
    private final VaultFixture f = new VaultFixture();

    @BeforeEach
    void role() {
        f.vault.addJwtRole("jwt", f.issuer, JwtRole.jwt("ci", List.of("https://vault.company.com"), "repo:ml/train:ref:main",
                Map.of("project_path", List.of("ml/train")), TokenSpec.builder().policies("mlflow-read").build()));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String jwt(String audience, String subject, String project, Duration ttl) {
        return f.issuer.sign("https://ci.company.com", subject, audience, f.clock.instant(), f.clock.instant().plus(ttl),
                Map.of("project_path", project));
    }

    private String good() {
        return jwt("https://vault.company.com", "repo:ml/train:ref:main", "ml/train", Duration.ofMinutes(5));
    }

    private Map<String, String> settings(String key, String value) {
        Map<String, String> s = new HashMap<>(Map.of("VAULT_AUTH_METHOD", "jwt", "VAULT_AUTH_ROLE", "ci"));
        s.put(key, value);
        return s;
    }

    @Test
    void vaultJwt_logsIn_andInfoShowsThePolicies() {
        String jwt = good();
        try (SecretProvider p = f.provider(settings("VAULT_JWT", jwt))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(p.describe()).containsEntry("auth method", "jwt").containsEntry("auth role", "ci")
                    .containsEntry("token policies", "mlflow-read").containsEntry("token expires", "2026-01-01T01:00:00Z (TTL 3600 s)");
            assertThat(p.describe().toString()).doesNotContain(jwt);
        }
    }

    @Test
    void vaultJwtPath_isReadAgainAtEachLogin() {
        String first = good();
        var file = f.write("ci-token", first);
        try (SecretProvider p = f.provider(settings("VAULT_JWT_PATH", file.toString()))) {
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            f.clock.advance(Duration.ofMinutes(1));
            String second = good();
            f.write("ci-token", second);
            String issued = f.vault.requests().stream().filter(r -> r.path().startsWith("/v1/secret/data"))
                    .findFirst().orElseThrow().token().orElseThrow();
            f.vault.revokeToken(issued);
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET); // 403, one new login with the new file
            List<String> sent = f.vault.requests().stream().filter(r -> r.path().equals("/v1/auth/jwt/login")).map(r -> r.body()).toList();
            assertThat(sent).hasSize(2);
            assertThat(sent.get(1)).contains(second);
        }
    }

    @Test
    void wrongAudience_expiredToken_andUnboundClaims_areEachOneLine_withoutTheJwt() {
        Map<String, String> cases = Map.of(
                jwt("https://other.company.com", "repo:ml/train:ref:main", "ml/train", Duration.ofMinutes(5)),
                "audience claim does not match any expected audience",
                jwt("https://vault.company.com", "repo:ml/train:ref:dev", "ml/train", Duration.ofMinutes(5)),
                "sub claim does not match bound subject",
                jwt("https://vault.company.com", "repo:ml/train:ref:main", "ml/other", Duration.ofMinutes(5)),
                "claim \"project_path\" does not match any associated bound claim values");
        cases.forEach((jwt, why) -> {
            try (SecretProvider p = f.provider(settings("VAULT_JWT", jwt))) {
                AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
                assertThat(e.getMessage()).startsWith("Vault jwt login at auth/jwt (role ci) failed (HTTP 400: ")
                        .contains(why).doesNotContain(jwt).doesNotContain("\n");
            }
        });
        String expiring = good();
        f.clock.advance(Duration.ofMinutes(6));
        try (SecretProvider p = f.provider(settings("VAULT_JWT", expiring))) {
            assertThat(catchThrowableOfType(AccessDeniedException.class, p::fetch).getMessage())
                    .contains("jwt login at auth/jwt (role ci)", "token is expired (exp)", "has not expired").doesNotContain(expiring);
        }
    }
}
