package io.github.mlflowsecretsauth.azure.keyvault;

import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.azure.testing.AzureFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation the way Key Vault does it: a new version becomes the latest. The engine picks it up at its
 * next refresh, and at once when a server rejects the old credential. Time is a fake clock; nothing sleeps.
 */
class KeyVaultRotationTest {
    private final Engines engines = new Engines();
    private AzureKeyVaultServer kv;

    @BeforeEach
    void start() {
        kv = AzureFixtures.server();
        kv.setSecret(SECRET, "{\"token\":\"token-v1\"}");
    }

    @AfterEach
    void stop() {
        kv.close();
    }

    private SecretsAuth engine() {
        Map<String, String> s = AzureFixtures.settings(kv);
        s.put("MLFLOW_AZURE_TTL_SEC", "60");
        return engines.engine(s);
    }

    @Test
    void newLatestVersion_isPickedUpAtTheNextRefresh_withoutAFailedRequest() {
        try (SecretsAuth auth = engine()) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v1");
            String v2 = kv.setSecret(SECRET, "{\"token\":\"token-v2\"}");
            assertThat(auth.headersFor(MLFLOW)).as("still fresh: served from memory").containsEntry("Authorization", "Bearer token-v1");

            engines.scheduler.advance(Duration.ofSeconds(60));

            HeaderSnapshot s = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(s.headerValue()).isEqualTo("Bearer token-v2");
            assertThat(s.version()).isEqualTo(Optional.of(v2));
            assertThat(auth.cacheStats().failures()).isZero();
        }
        assertThat(kv.secretReads()).isEqualTo(2);
        assertThat(kv.tokenRequests()).as("the SDK caches its access token").isEqualTo(1);
    }

    @Test
    void rejectedCredential_refreshesAtOnce_toTheRotatedVersion() {
        try (SecretsAuth auth = engine()) {
            HeaderSnapshot old = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(old.headerValue()).isEqualTo("Bearer token-v1");
            String v2 = kv.setSecret(SECRET, "{\"token\":\"token-v2\"}");

            assertThat(auth.reportRejected(old)).isEqualTo(SecretsAuth.RejectionOutcome.DROPPED);

            HeaderSnapshot fresh = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(fresh.headerValue()).isEqualTo("Bearer token-v2");
            assertThat(fresh.version()).isEqualTo(Optional.of(v2));
            assertThat(auth.reportRejected(old)).as("a second report of the old credential changes nothing").isNotEqualTo(SecretsAuth.RejectionOutcome.DROPPED);
            assertThat(auth.cacheStats().failures()).isZero();
        }
        assertThat(kv.secretReads()).isEqualTo(2);
    }
}
