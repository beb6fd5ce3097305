package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.testkit.vault.JwtRole;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A login token's life, driven by the test's clock: renewal at 60 to 70 % of the TTL (jitter from the injected
 * source), a new login when the max TTL caps a renewal, one new login after a 403, revocation on close (never of a
 * given token), and the fetch deadline on the login itself.
 */
class VaultTokenLifecycleTest {
    private final VaultFixture f = new VaultFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private Map<String, String> kubernetes(TokenSpec spec, Map<String, String> extra) {
        f.vault.addKubernetesRole("kubernetes", f.issuer, JwtRole.kubernetes("mlflow", List.of("*"), List.of("ml"), List.of(), spec));
        Map<String, String> s = new HashMap<>(Map.of("VAULT_AUTH_METHOD", "kubernetes", "VAULT_AUTH_ROLE", "mlflow",
                "VAULT_KUBERNETES_TOKEN_PATH", f.write("sa", f.serviceAccountToken("ml", "sa", "vault", Duration.ofDays(2))).toString()));
        s.putAll(extra);
        return s;
    }

    private String issuedToken() {
        return f.vault.requests().stream().filter(r -> r.path().startsWith("/v1/secret/data")).reduce((a, b) -> b)
                .orElseThrow().token().orElseThrow();
    }

    @Test
    void renewal_comesAt60To70PercentOfTheTtl_asTheJitterSourceSays() {
        for (double jitter : new double[] {0.0, 0.9}) {
            f.jitter.set(jitter);
            f.vault.resetCounts();
            try (SecretProvider p = f.provider(kubernetes(TokenSpec.builder().ttl(Duration.ofMinutes(100)).build(), Map.of()))) {
                p.fetch();
                long dueSeconds = (long) (6000 * (0.6 + 0.1 * jitter));
                f.scheduler.advance(Duration.ofSeconds(dueSeconds - 1));
                assertThat(f.vault.requestCount("/v1/auth/token/renew-self")).as("jitter %s", jitter).isZero();
                f.scheduler.advance(Duration.ofSeconds(2));
                assertThat(f.vault.requestCount("/v1/auth/token/renew-self")).as("jitter %s", jitter).isEqualTo(1);
                assertThat(f.vault.requestCount("/v1/auth/kubernetes/login")).isEqualTo(1);
            }
        }
    }

    @Test
    void aRenewalCappedByTheMaxTtl_isFollowedByANewLogin_beforeTheTokenDies() {
        try (SecretProvider p = f.provider(kubernetes(TokenSpec.builder().ttl(Duration.ofMinutes(10)).maxTtl(Duration.ofMinutes(15))
                .build(), Map.of()))) {
            p.fetch();
            String first = issuedToken();
            for (int minute = 0; minute < 14; minute++) {
                f.scheduler.advance(Duration.ofMinutes(1));
                assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            }
            assertThat(f.vault.requestCount("/v1/auth/token/renew-self")).isEqualTo(1); // at 6.5 min, granted 8.5 of 10
            assertThat(f.vault.requestCount("/v1/auth/kubernetes/login")).isEqualTo(2); // at 6.5 + 0.65 * 8.5 = 12 min
            assertThat(issuedToken()).isNotEqualTo(first);
        }
    }

    @Test
    void a403ToAValidLookingToken_isAnsweredByOneNewLogin_thenTheError() {
        try (SecretProvider p = f.provider(kubernetes(TokenSpec.defaults(), Map.of()))) {
            p.fetch();
            f.vault.revokeToken(issuedToken());
            assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
            assertThat(f.vault.requestCount("/v1/auth/kubernetes/login")).isEqualTo(2);
        }
        f.vault.resetCounts();
        Map<String, String> s = kubernetes(TokenSpec.builder().allowedPaths("secret/data/other/*").build(), Map.of());
        try (SecretProvider p = f.provider(s)) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
            assertThat(e.getMessage()).contains("Vault denied reading secret/mlflow/auth (HTTP 403",
                    "the token of the kubernetes login at auth/kubernetes (role mlflow)");
            assertThat(f.vault.requestCount("/v1/auth/kubernetes/login")).isEqualTo(2);
        }
    }

    @Test
    void close_revokesALoginsToken_unlessToldNotTo() {
        SecretProvider p = f.provider(kubernetes(TokenSpec.defaults(), Map.of()));
        p.fetch();
        String issued = issuedToken();
        p.close();
        assertThat(f.vault.requestCount("/v1/auth/token/revoke-self")).isEqualTo(1);
        assertThat(f.vault.isTokenValid(issued)).isFalse();

        SecretProvider kept = f.provider(kubernetes(TokenSpec.defaults(), Map.of("VAULT_REVOKE_ON_CLOSE", "false")));
        kept.fetch();
        kept.close();
        assertThat(f.vault.requestCount("/v1/auth/token/revoke-self")).isEqualTo(1);
        assertThat(f.vault.isTokenValid(issuedToken())).isTrue();
    }

    @Test
    void aGivenToken_isNeverRevoked() {
        String given = f.vault.createToken(TokenSpec.builder().ttl(Duration.ofHours(1)).build());
        SecretProvider p = f.provider(Map.of("VAULT_TOKEN", given));
        assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
        assertThat(p.describe()).containsEntry("auth method", "token").containsEntry("auth chosen because", "VAULT_TOKEN is set");
        p.close();
        assertThat(f.vault.requestCount("/v1/auth/token/revoke-self")).isZero();
        assertThat(f.vault.isTokenValid(given)).isTrue();
    }

    @Test
    void theVaultClisTokenFile_isUsed_andNeverRevoked() {
        String given = f.vault.createToken(TokenSpec.builder().ttl(Duration.ofHours(1)).policies("mlflow-read").build());
        f.write(".vault-token", given + "\n");
        SecretProvider p = f.provider(Map.of("HOME", f.dir.toString()));
        assertThat(VaultFixture.token(p)).isEqualTo(VaultFixture.SECRET);
        assertThat(p.describe()).containsEntry("auth method", "token").containsEntry("token policies", "mlflow-read")
                .containsEntry("auth chosen because", f.dir.resolve(".vault-token") + " exists (the Vault CLI's token)");
        p.close();
        assertThat(f.vault.requestCount("/v1/auth/token/revoke-self")).isZero();
        assertThat(f.vault.isTokenValid(given)).isTrue();
    }

    @Test
    void aStalledLogin_failsWithinTheFetchDeadline() {
        try (SecretProvider p = f.provider(kubernetes(TokenSpec.defaults(), Map.of("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "1")))) {
            f.vault.stalls().stall(StallMode.HEADERS_THEN_STALL, "/v1/auth/kubernetes/login");
            long start = System.nanoTime();
            BackendUnavailableException e = catchThrowableOfType(BackendUnavailableException.class, p::fetch);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(e.getMessage()).isEqualTo("Vault at " + f.vault.address() + " did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)");
            assertThat(ms).isBetween(950L, 2_500L);
        }
    }
}
