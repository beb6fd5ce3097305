package io.github.mlflowsecretsauth.aws.secretsmanager;

import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.GLOBAL;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.SECRET;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.TEMPORARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.aws.AwsFault;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every failure of the aws-secrets-manager provider, produced by the testkit server over real HTTP
 * and seen through the engine: the exception type, that the message names what to check and the
 * credential source, and that it never holds a secret key or the secret's value.
 */
class SecretsManagerErrorsTest {
    private static final String CANARY_VALUE = "CANARYsecretValue9f8e7d";

    private final Engines engines = new Engines();
    private AwsServer aws;

    @BeforeEach
    void start() {
        aws = AwsFixtures.server();
        aws.createSecret(SECRET, "{\"token\":\"" + CANARY_VALUE + "\"}");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private SecretsAuthException failure(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            auth.headersFor(MLFLOW);
        } catch (SecretsAuthException e) {
            assertThat(e.getMessage()).doesNotContain(CANARY_VALUE).doesNotContain(PROJECT.secretAccessKey())
                    .doesNotContain(GLOBAL.secretAccessKey()).doesNotContain(AwsFixtures.SESSION_TOKEN).doesNotContain("\n");
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    private Map<String, String> settings(String... overrides) {
        Map<String, String> s = new HashMap<>(AwsFixtures.settings(aws));
        for (int i = 0; i < overrides.length; i += 2) {
            s.put(overrides[i], overrides[i + 1]);
        }
        return s;
    }

    @Test
    void unknownSecret_isNotFound_namingTheVariableAndRegion() {
        SecretsAuthException e = failure(settings("MLFLOW_AWS_SECRET_ID", "prod/other"));
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("'prod/other' in us-east-1").contains("ResourceNotFoundException")
                .contains("MLFLOW_AWS_SECRET_ID").contains("AWS_REGION");
        assertThat(engines.sleeps).as("not retried").isEmpty();
    }

    @Test
    void unknownStage_isNotFound_namingTheVersionVariable() {
        SecretsAuthException e = failure(settings("MLFLOW_AWS_SECRET_VERSION", "AWSPENDING"));
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("stage AWSPENDING").contains("MLFLOW_AWS_SECRET_VERSION");
    }

    @Test
    void accessDenied_namesTheCredentialSource() {
        aws.deny(PROJECT.accessKeyId(), SECRET, true);
        SecretsAuthException e = failure(settings());
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("secretsmanager:GetSecretValue").contains("project-specific (MLFLOW_AWS_*)")
                .contains("MLFLOW_AWS_ACCESS_KEY_ID");
        assertThat(engines.sleeps).isEmpty();
    }

    @Test
    void unknownAccessKey_isAccessDenied_namingTheKeyVariables() {
        SecretsAuthException e = failure(settings("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000001"));
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("does not recognise the access key").contains("UnrecognizedClientException")
                .contains("project-specific (MLFLOW_AWS_*)").contains("MLFLOW_AWS_ACCESS_KEY_ID / MLFLOW_AWS_SECRET_ACCESS_KEY")
                .doesNotContain("AKIAUNKNOWN");
    }

    @Test
    void wrongSecretKey_isAccessDenied_aboutTheSignature() {
        SecretsAuthException e = failure(settings("MLFLOW_AWS_SECRET_ACCESS_KEY", "CANARYwrongSecretKey"));
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("InvalidSignatureException").contains("clock").doesNotContain("CANARYwrongSecretKey");
    }

    @Test
    void globalKeys_areNamedAsTheGlobalSource() {
        Map<String, String> s = AwsFixtures.without(settings(), "MLFLOW_AWS_ACCESS_KEY_ID", "MLFLOW_AWS_SECRET_ACCESS_KEY");
        s.put("AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000002");
        s.put("AWS_SECRET_ACCESS_KEY", GLOBAL.secretAccessKey());
        SecretsAuthException e = failure(s);
        assertThat(e.getMessage()).contains("global (AWS_*)").contains("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void expiredSessionToken_isAccessDenied_sayingItExpired() {
        aws.expireSessionToken(TEMPORARY.accessKeyId());
        SecretsAuthException e = failure(settings("MLFLOW_AWS_ACCESS_KEY_ID", TEMPORARY.accessKeyId(), "MLFLOW_AWS_SECRET_ACCESS_KEY",
                TEMPORARY.secretAccessKey(), "MLFLOW_AWS_SESSION_TOKEN", AwsFixtures.SESSION_TOKEN));
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("has expired").contains("ExpiredTokenException").contains("MLFLOW_AWS_SESSION_TOKEN");
    }

    @Test
    void kmsDecryptionFailure_isAccessDenied_aboutKms() {
        aws.failDecryption(SECRET, true);
        SecretsAuthException e = failure(settings());
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("DecryptionFailure").contains("kms:Decrypt");
    }

    @Test
    void secretMarkedForDeletion_isNotFound_sayingToRestoreIt() {
        aws.markForDeletion(SECRET, true);
        SecretsAuthException e = failure(settings());
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("scheduled for deletion").contains("restore");
    }

    @Test
    void regionTheServiceDoesNotServe_isAConfigurationError() {
        SecretsAuthException e = failure(settings("AWS_REGION", "eu-west-1"));
        assertThat(e).isInstanceOf(ConfigurationException.class);
        assertThat(e.getMessage()).contains("credential scope").contains("region");
    }

    @Test
    void throttling_isRetriedWithBackoff_andThenSucceeds() {
        aws.failNext(2, AwsFault.THROTTLING);
        try (SecretsAuth auth = engines.engine(settings())) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + CANARY_VALUE);
        }
        assertThat(engines.sleeps).hasSize(2);
        assertThat(aws.calls("GetSecretValue")).hasSize(3);
        assertThat(aws.calls("GetSecretValue").get(0).errorType()).contains("ThrottlingException");
    }

    @Test
    void http429And5xx_areRetriedToo() {
        aws.failNext(1, AwsFault.TOO_MANY_REQUESTS);
        try (SecretsAuth auth = engines.engine(settings())) {
            assertThat(auth.headersFor(MLFLOW)).isNotEmpty();
        }
        aws.failNext(2, AwsFault.INTERNAL_ERROR);
        try (SecretsAuth auth = engines.engine(settings())) {
            assertThat(auth.headersFor(MLFLOW)).isNotEmpty();
        }
        assertThat(engines.sleeps).hasSize(3);
    }

    @Test
    void persistentThrottling_failsTransient_afterTheEnginesRetries() {
        aws.failNext(10, AwsFault.THROTTLING);
        SecretsAuthException e = failure(settings());
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("throttling");
        assertThat(aws.calls("GetSecretValue")).as("one call per attempt: the SDK itself does not retry").hasSize(3);
    }

    @Test
    void unreachableEndpoint_isBackendUnavailable_andRetried() {
        SecretsAuthException e = failure(settings("AWS_ENDPOINT_URL", "http://127.0.0.1:1"));
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("cannot connect to AWS Secrets Manager at http://127.0.0.1:1");
        assertThat(engines.sleeps).hasSize(2);
    }

    @Test
    void badSettings_failAtBuild_namingTheVariable_withoutEchoingIt() {
        assertConfig(() -> engines.engine(settings("MLFLOW_AWS_SECRET_ID", CANARY_VALUE + " with spaces")), "MLFLOW_AWS_SECRET_ID");
        assertConfig(() -> engines.engine(settings("MLFLOW_AWS_SECRET_VERSION", "two words")), "MLFLOW_AWS_SECRET_VERSION");
        assertConfig(() -> engines.engine(settings("AWS_ENDPOINT_URL", "ftp://x")), "AWS_ENDPOINT_URL");
        assertConfig(() -> engines.engine(AwsFixtures.without(settings(), "MLFLOW_AWS_SECRET_ACCESS_KEY")), "MLFLOW_AWS_SECRET_ACCESS_KEY");
        assertThat(aws.calls()).isEmpty();
    }

    private static void assertConfig(ThrowingCallable build, String variable) {
        assertThatThrownBy(build).isInstanceOf(ConfigurationException.class).hasMessageContaining(variable)
                .hasMessageNotContaining(CANARY_VALUE).hasMessageNotContaining("two words");
    }
}
