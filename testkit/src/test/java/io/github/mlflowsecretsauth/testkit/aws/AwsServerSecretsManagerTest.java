package io.github.mlflowsecretsauth.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The testkit Secrets Manager, driven by the real AWS SDK for Java v2 client. */
class AwsServerSecretsManagerTest {
    static final AwsPrincipal PROJECT = AwsPrincipal.user("mlflow", "AKIAMLFLOWPROJECT001", "project/secret+key");
    static final AwsPrincipal GLOBAL = AwsPrincipal.user("main", "AKIAMAINACCOUNT00001", "main-secret-key");

    private AwsServer aws;
    private SecretsManagerClient client;

    @BeforeEach
    void start() {
        aws = AwsServer.builder().principal(PROJECT).principal(GLOBAL).start();
        client = SdkClients.secretsManager(aws.endpoint(), "us-east-1", SdkClients.credentials(PROJECT));
    }

    @AfterEach
    void stop() {
        client.close();
        aws.close();
    }

    @Test
    void createAndGet_stringSecret_roundTripsWithStagesAndDate() {
        client.createSecret(r -> r.name("prod/mlflow/auth").secretString("{\"token\":\"t-1\"}"));
        GetSecretValueResponse got = client.getSecretValue(r -> r.secretId("prod/mlflow/auth"));
        assertThat(got.secretString()).isEqualTo("{\"token\":\"t-1\"}");
        assertThat(got.secretBinary()).isNull();
        assertThat(got.versionStages()).containsExactly("AWSCURRENT");
        assertThat(got.arn()).startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/mlflow/auth-");
        assertThat(got.createdDate()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        assertThat(client.getSecretValue(r -> r.secretId(got.arn())).versionId()).isEqualTo(got.versionId());
    }

    @Test
    void binarySecret_comesBackAsTheSameBytes() {
        byte[] bytes = {0, (byte) 0xff, (byte) 0xc3, 0x28, 42};
        aws.createBinarySecret("bin", bytes);
        assertThat(client.getSecretValue(r -> r.secretId("bin")).secretBinary().asByteArray()).isEqualTo(bytes);
    }

    @Test
    void rotation_throughVersionStages_movesAwsPreviousAlong() {
        String v1 = aws.createSecret("s", "one");
        PutSecretValueResponse pending = client.putSecretValue(r -> r.secretId("s").secretString("two").versionStages("AWSPENDING"));
        assertThat(client.getSecretValue(r -> r.secretId("s")).secretString()).isEqualTo("one");
        assertThat(client.getSecretValue(r -> r.secretId("s").versionStage("AWSPENDING")).secretString()).isEqualTo("two");

        client.updateSecretVersionStage(r -> r.secretId("s").versionStage("AWSCURRENT").moveToVersionId(pending.versionId())
                .removeFromVersionId(v1));

        assertThat(client.getSecretValue(r -> r.secretId("s")).secretString()).isEqualTo("two");
        assertThat(client.getSecretValue(r -> r.secretId("s").versionStage("AWSPREVIOUS")).secretString()).isEqualTo("one");
        DescribeSecretResponse d = client.describeSecret(r -> r.secretId("s"));
        assertThat(d.versionIdsToStages()).containsEntry(v1, List.of("AWSPREVIOUS"))
                .containsEntry(pending.versionId(), List.of("AWSCURRENT", "AWSPENDING"));
        assertThat(client.getSecretValue(r -> r.secretId("s").versionId(v1)).secretString()).isEqualTo("one");
    }

    @Test
    void movingAwsCurrent_withoutNamingItsHolder_isRefused() {
        aws.createSecret("s", "one");
        String v2 = aws.putSecretValue("s", "two", "AWSPENDING");
        assertThatThrownBy(() -> client.updateSecretVersionStage(r -> r.secretId("s").versionStage("AWSCURRENT").moveToVersionId(v2)))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("RemoveFromVersionId");
    }

    @Test
    void putWithoutStages_makesTheNewVersionCurrent() {
        aws.createSecret("s", "one");
        client.putSecretValue(r -> r.secretId("s").secretBinary(SdkBytes.fromUtf8String("two")));
        assertThat(client.getSecretValue(r -> r.secretId("s")).secretBinary().asUtf8String()).isEqualTo("two");
        assertThat(aws.versionStages("s").values()).containsExactlyInAnyOrder(List.of("AWSPREVIOUS"), List.of("AWSCURRENT"));
    }

    @Test
    void errors_areAwsErrorCodesWithAwsMessages() {
        aws.createSecret("s", "x");
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("nope")))
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Secrets Manager can't find the specified secret.");
                });
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("s").versionStage("AWSPENDING")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("can't find the specified secret value for staging label: AWSPENDING");
        assertThatThrownBy(() -> client.createSecret(r -> r.name("s").secretString("y"))).isInstanceOf(ResourceExistsException.class);
        aws.failDecryption("s", true);
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("s"))).isInstanceOf(DecryptionFailureException.class);
        aws.failDecryption("s", false);
        aws.markForDeletion("s", true);
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("s"))).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("marked for deletion");
        aws.markForDeletion("s", false);
        aws.deny(PROJECT.accessKeyId(), "s", true);
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("s"))).isInstanceOfSatisfying(SecretsManagerException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
            assertThat(e.awsErrorDetails().errorMessage()).contains("is not authorized to perform: secretsmanager:GetSecretValue");
        });
    }

    @Test
    void unknownAccessKey_getsUnrecognizedClientException() {
        AwsPrincipal stranger = AwsPrincipal.user("x", "AKIASTRANGER0000001", "whatever");
        try (SecretsManagerClient c = SdkClients.secretsManager(aws.endpoint(), "us-east-1", SdkClients.credentials(stranger))) {
            assertThatThrownBy(() -> c.getSecretValue(r -> r.secretId("s"))).isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
            });
        }
        assertThat(aws.calls("GetSecretValue")).singleElement().satisfies(c -> {
            assertThat(c.accessKeyId()).contains("AKIASTRANGER0000001");
            assertThat(c.authenticated()).isFalse();
        });
    }

    @Test
    void wrongSecretKey_getsInvalidSignatureException() {
        AwsPrincipal impostor = AwsPrincipal.user("x", PROJECT.accessKeyId(), "wrong");
        try (SecretsManagerClient c = SdkClients.secretsManager(aws.endpoint(), "us-east-1", SdkClients.credentials(impostor))) {
            assertThatThrownBy(() -> c.getSecretValue(r -> r.secretId("s"))).isInstanceOfSatisfying(SecretsManagerException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                assertThat(e.awsErrorDetails().errorMessage())
                        .startsWith("The request signature we calculated does not match the signature you provided.");
            });
        }
    }

    @Test
    void requestScopedToAnotherRegion_isRefused() {
        try (SecretsManagerClient c = SdkClients.secretsManager(aws.endpoint(), "eu-west-1", SdkClients.credentials(PROJECT))) {
            assertThatThrownBy(() -> c.getSecretValue(r -> r.secretId("s"))).isInstanceOfSatisfying(SecretsManagerException.class,
                    e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Credential should be scoped to a valid region."));
        }
    }

    @Test
    void temporaryCredentials_workWithTheirToken_andExpire() {
        AwsPrincipal temp = AwsPrincipal.assumedRole("mlflow-reader", "ASIATEMPORARY000001", "temp-secret", "FQoGZXIvYXdzEXAMPLE");
        aws.addPrincipal(temp);
        aws.createSecret("s", "x");
        try (SecretsManagerClient c = SdkClients.secretsManager(aws.endpoint(), "us-east-1", SdkClients.credentials(temp))) {
            assertThat(c.getSecretValue(r -> r.secretId("s")).secretString()).isEqualTo("x");
            aws.expireSessionToken(temp.accessKeyId());
            assertThatThrownBy(() -> c.getSecretValue(r -> r.secretId("s"))).isInstanceOfSatisfying(SecretsManagerException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException"));
        }
    }

    @Test
    void injectedFaults_answerAsAwsThenRecover() {
        aws.createSecret("s", "x");
        aws.failNext(1, AwsFault.THROTTLING);
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("s"))).isInstanceOfSatisfying(SecretsManagerException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(400);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            assertThat(e.isThrottlingException()).isTrue();
        });
        aws.failNext(1, AwsFault.INTERNAL_ERROR);
        assertThatThrownBy(() -> client.getSecretValue(r -> r.secretId("s")))
                .isInstanceOfSatisfying(SecretsManagerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
        assertThat(client.getSecretValue(r -> r.secretId("s")).secretString()).isEqualTo("x");
        assertThat(aws.signingKeys("GetSecretValue")).containsOnly(PROJECT.accessKeyId()).hasSize(3);
    }

    @Test
    void eachCall_recordsTheKeyThatSignedIt() {
        aws.createSecret("s", "x");
        client.getSecretValue(r -> r.secretId("s"));
        try (SecretsManagerClient global = SdkClients.secretsManager(aws.endpoint(), "us-east-1", SdkClients.credentials(GLOBAL))) {
            global.describeSecret(r -> r.secretId("s"));
        }
        assertThat(aws.signingKeys("GetSecretValue")).containsExactly(PROJECT.accessKeyId());
        assertThat(aws.signingKeys("DescribeSecret")).containsExactly(GLOBAL.accessKeyId());
        assertThat(aws.calls()).allMatch(AwsCall::authenticated).allMatch(c -> c.service().equals("secretsmanager"));
    }
}
