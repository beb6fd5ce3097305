package io.github.mlflowsecretsauth.azure.keyvault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.azure.testing.AzureFixtures;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Key Vault read and DefaultAzureCredential's token request each end within MLFLOW_SECRETS_FETCH_TIMEOUT_SEC when
 * the server stalls mid-body or never answers, over real TLS sockets through the real Azure SDK, with one line naming
 * the endpoint and the setting and neither the secret nor the client secret.
 */
class KeyVaultDeadlineTest {
    static final String VALUE = "CANARY-azure-deadline-token-6d0e";
    static final long DEADLINE_MS = 1_000;
    static final long SLACK_MS = 1_500;

    private AzureKeyVaultServer kv;

    /** The SDKs' first call in a JVM loads much; warm them with the default deadline so the tests measure the stall. */
    @BeforeAll
    static void warmTheSdk() {
        try (AzureKeyVaultServer warm = AzureFixtures.server()) {
            warm.setSecret(AzureFixtures.SECRET, "warm");
            long start = System.nanoTime();
            try (SecretProvider p = provider(warm, "10")) {
                p.fetch();
            }
            System.out.printf("Azure SDK first call in this JVM: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
    }

    @BeforeEach
    void start() {
        kv = AzureFixtures.server(); // a fresh port: the SDK caches the challenge per host:port
        kv.setSecret(AzureFixtures.SECRET, "{\"token\":\"" + VALUE + "\"}");
    }

    @AfterEach
    void stop() {
        kv.close();
    }

    private static SecretProvider provider(AzureKeyVaultServer kv, String fetchTimeoutSeconds) {
        FakeClock clock = new FakeClock();
        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", fetchTimeoutSeconds);
        return new KeyVaultProviderFactory().create(new ProviderContext(Settings.builder().setAll(s).build(), clock,
                new ManualScheduler(clock), () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    private BackendUnavailableException failsAtTheDeadline(SecretProvider p, String what) {
        long start = System.nanoTime();
        RuntimeException e = null;
        try {
            p.fetch();
        } catch (RuntimeException thrown) {
            e = thrown;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("Azure %s: failed after %d ms (deadline %d ms): %s%n", what, ms, DEADLINE_MS, e == null ? "" : e.getMessage());
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.getMessage()).contains(" did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)")
                .doesNotContain(VALUE).doesNotContain(AzureFixtures.CLIENT_SECRET).doesNotContain("\n");
        assertThat(ms).isBetween(DEADLINE_MS - 50, DEADLINE_MS + SLACK_MS);
        return (BackendUnavailableException) e;
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledKeyVaultRead_failsWithinTheDeadline(StallMode mode) {
        try (SecretProvider p = provider(kv, "1")) {
            kv.stalls().stall(mode, "/secrets/");
            BackendUnavailableException e = failsAtTheDeadline(p, "Key Vault read " + mode);
            assertThat(e.getMessage()).startsWith("Azure Key Vault at " + kv.vaultUrl().toString().replaceAll("/+$", "")
                    + " did not answer");
            kv.stalls().clear();
            assertThat(p.fetch().text().orElseThrow()).contains(VALUE);
        }
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledTokenRequest_failsWithinTheDeadline(StallMode mode) {
        try (SecretProvider p = provider(kv, "1")) {
            kv.stalls().stall(mode, "/" + kv.tenantId() + "/oauth2/");
            BackendUnavailableException e = failsAtTheDeadline(p, "token request " + mode);
            assertThat(e.getMessage()).startsWith("the Azure token endpoint ");
            kv.stalls().clear();
            assertThat(p.fetch().text().orElseThrow()).contains(VALUE);
        }
    }
}
