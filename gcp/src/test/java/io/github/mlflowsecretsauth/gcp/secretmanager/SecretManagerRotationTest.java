package io.github.mlflowsecretsauth.gcp.secretmanager;

import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.gcp.GcpCall;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotation the way Secret Manager does it (a new version becomes {@code latest}) and access-token
 * renewal by the Google auth library. The engine picks the new credential up at its next refresh, and
 * at once when a server rejects the old one; expired or rejected access tokens are replaced without a
 * failed fetch. Time is the engine's fake clock; nothing sleeps.
 */
class SecretManagerRotationTest {
    private final Engines engines = new Engines();
    private GcpFixtures gcp;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        gcp = GcpFixtures.start(dir);
        gcp.server.addVersion(SECRET, "{\"token\":\"token-v1\"}");
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private SecretsAuth engine() {
        return engines.engine(gcp.settings("MLFLOW_GCP_TTL_SEC", "60"));
    }

    @Test
    void newVersion_isPickedUpAfterTheTtl_withoutAFailedRequest() {
        try (SecretsAuth auth = engine()) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v1");
            gcp.server.addVersion(SECRET, "{\"token\":\"token-v2\"}");
            assertThat(auth.headersFor(MLFLOW)).as("still fresh: served from memory").containsEntry("Authorization", "Bearer token-v1");
            assertThat(gcp.server.accessCount()).isEqualTo(1);

            engines.scheduler.advance(Duration.ofSeconds(60));

            HeaderSnapshot fresh = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(fresh.headerValue()).isEqualTo("Bearer token-v2");
            assertThat(fresh.version()).contains("2");
            assertThat(auth.cacheStats().failures()).isZero();
        }
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).hasSize(2).allMatch(GcpCall::succeeded);
        assertThat(gcp.server.calls(GcpCall.Kind.TOKEN)).as("the library reuses its unexpired access token").hasSize(1);
    }

    @Test
    void newVersion_isPickedUpAtOnceWhenTheServerRejectsTheOldCredential() {
        try (SecretsAuth auth = engine()) {
            HeaderSnapshot old = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(old.headerValue()).isEqualTo("Bearer token-v1");
            gcp.server.addVersion(SECRET, "{\"token\":\"token-v2\"}");

            assertThat(auth.reportRejected(old)).isEqualTo(SecretsAuth.RejectionOutcome.DROPPED);

            HeaderSnapshot fresh = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(fresh.headerValue()).isEqualTo("Bearer token-v2");
            assertThat(fresh.version()).isEqualTo(Optional.of("2"));
            assertThat(auth.reportRejected(old)).as("a second report of the old credential changes nothing").isNotEqualTo(SecretsAuth.RejectionOutcome.DROPPED);
            assertThat(auth.cacheStats().failures()).isZero();
        }
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).hasSize(2).allMatch(GcpCall::succeeded);
    }

    @Test
    void accessTokenNearItsExpiry_isRenewedByTheLibraryBeforeUse() {
        // Two minutes is inside the library's expiry margin: it must renew before every use.
        gcp.server.tokenLifetime(Duration.ofMinutes(2));
        try (SecretsAuth auth = engine()) {
            auth.headersFor(MLFLOW);
            gcp.server.addVersion(SECRET, "{\"token\":\"token-v2\"}");
            engines.scheduler.advance(Duration.ofSeconds(60));
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v2");
        }
        assertThat(gcp.server.calls(GcpCall.Kind.TOKEN)).hasSize(2).allMatch(GcpCall::succeeded);
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).as("no access call was sent with an old token").hasSize(2)
                .allMatch(GcpCall::succeeded);
    }

    @Test
    void accessTokenRevokedAtTheServer_isRefreshedOnceOnTheFirst401_andTheFetchSucceeds() {
        try (SecretsAuth auth = engine()) {
            auth.headersFor(MLFLOW);
            gcp.server.expireIssuedTokens(); // the library still believes its token has an hour to live
            gcp.server.addVersion(SECRET, "{\"token\":\"token-v2\"}");
            engines.scheduler.advance(Duration.ofSeconds(60));
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v2");
            assertThat(auth.cacheStats().failures()).isZero();
        }
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).extracting(GcpCall::status).containsExactly(200, 401, 200);
        assertThat(gcp.server.calls(GcpCall.Kind.TOKEN)).hasSize(2);
        assertThat(engines.sleeps).as("the refresh is not a retry with backoff").isEmpty();
    }
}
