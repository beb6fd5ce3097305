package io.github.mlflowsecretsauth.azure.keyvault;

import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.CLIENT_ID;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.CLIENT_SECRET;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.azure.testing.AzureFixtures;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key Vault's error answers, as the real SDK raises them, become the project's exceptions with one-line
 * messages naming the vault, the secret (and version) and the identity source, never a value.
 */
class KeyVaultErrorsTest {
    private final Engines engines = new Engines();
    private AzureKeyVaultServer kv;

    @BeforeEach
    void start() {
        kv = AzureFixtures.server();
    }

    @AfterEach
    void stop() {
        kv.close();
    }

    /** The provider's own failure, through the engine's retry but not its chain wrapper. */
    private SecretsAuthException fetchFailure(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            SecretsAuthException e = catchThrowableOfType(SecretsAuthException.class, () -> auth.chain().get(0).fetch());
            assertThat(e).as("the fetch must fail").isNotNull();
            assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(CLIENT_SECRET);
            return e;
        }
    }

    @Test
    void missingSecret_isNotFound_namingVaultAndSecret() {
        SecretsAuthException e = fetchFailure(AzureFixtures.settings(kv));
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("'" + SECRET + "'").contains(kv.vaultUrl().toString()).contains("SecretNotFound")
                .contains("MLFLOW_AZURE_SECRET_NAME");
    }

    @Test
    void missingVersion_isNotFound_namingTheVersionVariable() {
        kv.setSecret(SECRET, "t");
        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("MLFLOW_AZURE_SECRET_VERSION", "0123456789abcdef0123456789abcdef");
        SecretsAuthException e = fetchFailure(s);
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("version 0123456789abcdef0123456789abcdef").contains("MLFLOW_AZURE_SECRET_VERSION");
    }

    @Test
    void forbidden_isAccessDenied_namingTheIdentitySource() {
        kv.setSecret(SECRET, "t");
        kv.deny(CLIENT_ID, SECRET, true);
        SecretsAuthException e = fetchFailure(AzureFixtures.settings(kv));
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("denied reading '" + SECRET + "'").contains(kv.vaultUrl().toString())
                .contains("service principal with a client secret").contains("Forbidden/ForbiddenByRbac")
                .contains("Key Vault Secrets User");
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void disabledSecret_saysSoDistinctly_andHowToFixIt() {
        String v1 = kv.setSecret(SECRET, "t1");
        kv.setSecret(SECRET, "t2");
        kv.setEnabled(SECRET, null, false);
        SecretsAuthException latest = fetchFailure(AzureFixtures.settings(kv));
        assertThat(latest.getMessage()).contains("'" + SECRET + "'").contains(kv.vaultUrl().toString()).contains("is disabled")
                .contains("Forbidden/SecretDisabled").contains("enable it or select another version");

        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("MLFLOW_AZURE_SECRET_VERSION", v1);
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer t1");
        }
        kv.setEnabled(SECRET, v1, false);
        assertThat(fetchFailure(s).getMessage()).contains("'" + SECRET + "' version " + v1).contains("is disabled");
    }

    @Test
    void wrongClientSecret_isAccessDenied_withTheAadstsCodeAndIdentitySource() {
        kv.setSecret(SECRET, "t");
        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("AZURE_CLIENT_SECRET", "CANARYwrongSecret~9");
        SecretsAuthException e = fetchFailure(s);
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("AADSTS7000215").contains("service principal with a client secret")
                .contains("AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET").doesNotContain("CANARYwrongSecret");
        assertThat(kv.secretReads()).isZero();
    }

    @Test
    void throttling_isTransient_andTheEngineRetriesAfterRetryAfter_thenSucceeds() {
        kv.setSecret(SECRET, "{\"token\":\"after-throttle\"}");
        try (SecretsAuth auth = engines.engine(AzureFixtures.settings(kv))) {
            auth.chain(); // the provider exists before the faults are queued
            kv.throttleNext(2, 3);
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer after-throttle");
        }
        assertThat(engines.sleeps).as("Retry-After: 3 honoured, no real sleep").containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
        assertThat(kv.requests()).filteredOn(r -> !r.isTokenRequest()).extracting(r -> r.status()).containsExactly(401, 429, 429, 200);
    }

    @Test
    void throttlingBeyondTheRetries_isBackendUnavailable_transient_withRetryAfter() {
        kv.setSecret(SECRET, "t");
        kv.throttleNext(10, 4);
        SecretsAuthException e = fetchFailure(AzureFixtures.settings(kv));
        assertThat(e).isInstanceOfSatisfying(BackendUnavailableException.class, b -> {
            assertThat(b.isTransient()).isTrue();
            assertThat(b.retryAfter()).contains(Duration.ofSeconds(4));
        });
        assertThat(e.getMessage()).contains("HTTP 429").contains("Throttled").contains("'" + SECRET + "'");
    }

    @Test
    void serviceUnavailable_isTransient() {
        kv.setSecret(SECRET, "t");
        kv.failNext(10, 503, "ServiceUnavailable");
        SecretsAuthException e = fetchFailure(AzureFixtures.settings(kv));
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 503");
    }

    @Test
    void untrustedCertificate_isNotTransient_andPointsAtTheCaBundleSetting() {
        kv.setSecret(SECRET, "t");
        SecretsAuthException e = fetchFailure(AzureFixtures.without(AzureFixtures.settings(kv), "MLFLOW_AZURE_CA_BUNDLE_PATH"));
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).contains("TLS").contains("MLFLOW_AZURE_CA_BUNDLE_PATH");
        assertThat(kv.requests()).as("nothing got past the handshake").isEmpty();
    }

    @Test
    void noIdentityAtAll_isAccessDenied_sayingWhatWasTried() {
        kv.setSecret(SECRET, "t");
        Map<String, String> s = AzureFixtures.without(AzureFixtures.settings(kv), "AZURE_CLIENT_SECRET", "AZURE_CLIENT_ID");
        s.put("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential");
        SecretsAuthException e = fetchFailure(s);
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("no Azure identity is available").contains("AZURE_TOKEN_CREDENTIALS=EnvironmentCredential");
    }

    @Test
    void redirect_isNotFollowed_soTheTokenNeverReachesAnotherHost() {
        kv.setSecret(SECRET, "t");
        // Another host name for the same server (its certificate covers localhost), so a followed redirect would show here.
        URI elsewhere = URI.create("https://localhost:" + kv.vaultUrl().getPort() + "/secrets/moved/");
        kv.redirectNext(10, elsewhere);
        SecretsAuthException e = fetchFailure(AzureFixtures.settings(kv));
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.getMessage()).contains("HTTP 302");
        assertThat(kv.requests()).filteredOn(r -> r.path().startsWith("/secrets/" + SECRET)).extracting(r -> r.status()).contains(302);
        assertThat(kv.requests()).as("nothing, and no token, went to the redirect's target").noneMatch(r -> r.path().startsWith("/secrets/moved"));
    }
}
