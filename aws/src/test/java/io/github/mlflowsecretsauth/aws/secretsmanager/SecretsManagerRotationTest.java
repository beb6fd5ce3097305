package io.github.mlflowsecretsauth.aws.secretsmanager;

import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation the way Secrets Manager does it: a new version is put as AWSPENDING, then
 * UpdateSecretVersionStage moves AWSCURRENT to it. The engine must pick the new credential up at its
 * next refresh, and at once when a server rejects the old one, with no request failing. Time is a
 * fake clock; nothing sleeps.
 */
class SecretsManagerRotationTest {
    private final Engines engines = new Engines();
    private AwsServer aws;
    private String v1;

    @BeforeEach
    void start() {
        aws = AwsFixtures.server();
        v1 = aws.createSecret(SECRET, "{\"token\":\"token-v1\"}");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private void rotate() {
        String v2 = aws.putSecretValue(SECRET, "{\"token\":\"token-v2\"}", "AWSPENDING");
        aws.updateSecretVersionStage(SECRET, "AWSCURRENT", v2, v1);
        assertThat(aws.versionStages(SECRET)).containsEntry(v1, java.util.List.of("AWSPREVIOUS"));
    }

    private SecretsAuth engine() {
        Map<String, String> s = AwsFixtures.settings(aws);
        s.put("MLFLOW_AWS_TTL_SEC", "60");
        return engines.engine(s);
    }

    @Test
    void rotationByVersionStage_isPickedUpAtTheNextRefresh_withoutAFailedRequest() {
        try (SecretsAuth auth = engine()) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v1");
            rotate();
            assertThat(auth.headersFor(MLFLOW)).as("still fresh: served from memory").containsEntry("Authorization", "Bearer token-v1");

            engines.scheduler.advance(Duration.ofSeconds(60));

            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer token-v2");
            assertThat(auth.cacheStats().failures()).isZero();
        }
        assertThat(aws.calls("GetSecretValue")).hasSize(2).allMatch(c -> c.succeeded());
        assertThat(aws.signingKeys("GetSecretValue")).containsOnly(PROJECT.accessKeyId());
    }

    @Test
    void rotationByVersionStage_isPickedUpWhenTheServerRejectsTheOldCredential() {
        try (SecretsAuth auth = engine()) {
            HeaderSnapshot old = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(old.headerValue()).isEqualTo("Bearer token-v1");
            rotate();

            assertThat(auth.reportRejected(old)).isEqualTo(SecretsAuth.RejectionOutcome.DROPPED);

            HeaderSnapshot fresh = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(fresh.headerValue()).isEqualTo("Bearer token-v2");
            assertThat(fresh.version()).isEqualTo(java.util.Optional.ofNullable(aws.versionIdOf(SECRET, "AWSCURRENT").orElseThrow()));
            assertThat(auth.reportRejected(old)).as("a second report of the old credential changes nothing").isNotEqualTo(SecretsAuth.RejectionOutcome.DROPPED);
            assertThat(auth.cacheStats().failures()).isZero();
        }
        assertThat(aws.calls("GetSecretValue")).hasSize(2).allMatch(c -> c.succeeded());
    }
}
