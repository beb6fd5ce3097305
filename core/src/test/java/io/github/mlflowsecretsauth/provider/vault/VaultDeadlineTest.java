package io.github.mlflowsecretsauth.provider.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every Vault call (token lookup, AppRole login, read, renew) ends within MLFLOW_SECRETS_FETCH_TIMEOUT_SEC when Vault
 * stalls mid-body or never answers, over real sockets; the one-line error names Vault and the setting, never a secret.
 */
class VaultDeadlineTest {
    static final String SECRET = "CANARY-vault-deadline-secret-5e4d";
    static final String SECRET_ID = "CANARY-vault-deadline-secret-id-77aa";
    static final long DEADLINE_MS = 1_000;
    static final long SLACK_MS = 1_500;

    private final FakeClock clock = new FakeClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", SECRET));
        vault.addAppRole("mlflow", "role-1", SECRET_ID, TokenSpec.builder().ttl(Duration.ofMinutes(5)).renewable(true).build());
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private SecretProvider provider(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("VAULT_ADDR", vault.address().toString(), "MLFLOW_VAULT_SECRET_PATH",
                "secret/mlflow/auth", "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "1"));
        s.putAll(extra);
        return new VaultProviderFactory().create(new ProviderContext(Settings.builder().setAll(s).build(), clock, scheduler,
                () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    private String expected() {
        return "Vault at " + vault.address() + " did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)";
    }

    /** Fetches, expecting the deadline's failure; returns the elapsed milliseconds. */
    private long failsAtTheDeadline(SecretProvider p, String what) {
        long start = System.nanoTime();
        BackendUnavailableException e = null;
        try {
            p.fetch();
        } catch (BackendUnavailableException thrown) {
            e = thrown;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("Vault %s: failed after %d ms (deadline %d ms)%n", what, ms, DEADLINE_MS);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(expected()).doesNotContain(SECRET).doesNotContain(SECRET_ID);
        assertThat(e.isTransient()).isTrue();
        assertThat(ms).isBetween(DEADLINE_MS - 50, DEADLINE_MS + SLACK_MS);
        return ms;
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledRead_failsWithinTheDeadline(StallMode mode) {
        try (SecretProvider p = provider(Map.of("VAULT_TOKEN", vault.rootToken()))) {
            vault.stalls().stall(mode, "/v1/secret/");
            failsAtTheDeadline(p, "read " + mode);
            vault.stalls().clear();
            assertThat(p.fetch().fields().orElseThrow()).containsEntry("token", SECRET); // the next fetch is not stuck behind it
        }
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledAppRoleLogin_failsWithinTheDeadline(StallMode mode) {
        try (SecretProvider p = provider(Map.of("VAULT_ROLE_ID", "role-1", "VAULT_SECRET_ID", SECRET_ID))) {
            vault.stalls().stall(mode, "/v1/auth/approle/login");
            failsAtTheDeadline(p, "AppRole login " + mode);
        }
    }

    @Test
    void aStalledTokenLookup_failsWithinTheDeadline() {
        try (SecretProvider p = provider(Map.of("VAULT_TOKEN", vault.rootToken()))) {
            vault.stalls().stall(StallMode.HEADERS_THEN_STALL, "/v1/auth/token/lookup-self");
            failsAtTheDeadline(p, "token lookup HEADERS_THEN_STALL");
        }
    }

    @Test
    void aStalledRenewal_endsWithinTheDeadline_andTheTokenIsKept() {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(3)).renewable(true).build());
        try (SecretProvider p = provider(Map.of("VAULT_TOKEN", token)); LogCapture logs = new LogCapture()) {
            assertThat(p.fetch().fields().orElseThrow()).containsEntry("token", SECRET);
            vault.stalls().stall(StallMode.HEADERS_THEN_STALL, "/v1/auth/token/renew-self");
            long start = System.nanoTime();
            scheduler.advance(Duration.ofSeconds(150)); // the renewal is due at 60 to 70 % of the TTL
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("Vault renew HEADERS_THEN_STALL: ended after %d ms (deadline %d ms)%n", ms, DEADLINE_MS);
            assertThat(vault.stalls().stalledCount()).isEqualTo(1);
            assertThat(ms).isBetween(DEADLINE_MS - 50, DEADLINE_MS + SLACK_MS);
            assertThat(String.join("\n", logs.lines())).contains(expected()).doesNotContain(token).doesNotContain(SECRET);
            vault.stalls().clear();
            assertThat(p.fetch().fields().orElseThrow()).containsEntry("token", SECRET);
        }
    }
}
