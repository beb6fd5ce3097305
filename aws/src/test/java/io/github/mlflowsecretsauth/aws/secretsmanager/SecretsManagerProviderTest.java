package io.github.mlflowsecretsauth.aws.secretsmanager;

import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.ProviderStatus;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The aws-secrets-manager provider through the engine, against the testkit Secrets Manager over real HTTP. */
class SecretsManagerProviderTest {
    private static final String TOKEN = "mlflow-token-7f3a";

    private final Engines engines = new Engines();
    private AwsServer aws;

    @BeforeEach
    void start() {
        aws = AwsFixtures.server();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private Map<String, String> headers(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            return auth.headersFor(MLFLOW);
        }
    }

    private Map<String, String> settings() {
        return AwsFixtures.settings(aws);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void secretStringWithToken_becomesBearerHeader() {
        aws.createSecret(SECRET, "{\"token\":\"" + TOKEN + "\"}");
        assertThat(headers(settings())).containsExactly(Map.entry("Authorization", "Bearer " + TOKEN));
        assertThat(aws.signingKeys("GetSecretValue")).containsExactly(PROJECT.accessKeyId());
    }

    @Test
    void bareSecretString_isAToken() {
        aws.createSecret(SECRET, TOKEN + "\n");
        assertThat(headers(settings())).containsEntry("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void usernameAndPassword_inBasicMode_becomeBasicHeader() {
        aws.createSecret(SECRET, "{\"username\":\"mlflow\",\"password\":\"pw-1\"}");
        Map<String, String> s = settings();
        s.put("MLFLOW_AWS_AUTH_MODE", "basic");
        assertThat(headers(s)).containsEntry("Authorization", basic("mlflow", "pw-1"));
    }

    @Test
    void binaryUtf8Json_isParsedLikeAString() {
        aws.createBinarySecret(SECRET, "{\"username\":\"bin-user\",\"password\":\"bin-pw\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, String> s = settings();
        s.put("MLFLOW_AWS_AUTH_MODE", "basic");
        assertThat(headers(s)).containsEntry("Authorization", basic("bin-user", "bin-pw"));
    }

    @Test
    void binaryThatIsNotUtf8_becomesABearerTokenOfItsBase64() {
        byte[] bytes = {(byte) 0x8f, 0x00, (byte) 0xff, 0x10, (byte) 0xc3, 0x28};
        aws.createBinarySecret(SECRET, bytes);
        assertThat(headers(settings())).containsEntry("Authorization", "Bearer " + Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void versionStage_selectsThatStage() {
        aws.createSecret(SECRET, "current-token");
        aws.putSecretValue(SECRET, "pending-token", "AWSPENDING");
        aws.putSecretValue(SECRET, "blue-token", "blue");
        Map<String, String> s = settings();
        s.put("MLFLOW_AWS_SECRET_VERSION", "AWSPENDING");
        assertThat(headers(s)).containsEntry("Authorization", "Bearer pending-token");
        s.put("MLFLOW_AWS_SECRET_VERSION", "blue");
        assertThat(headers(s)).containsEntry("Authorization", "Bearer blue-token");
        s.remove("MLFLOW_AWS_SECRET_VERSION");
        assertThat(headers(s)).containsEntry("Authorization", "Bearer current-token");
    }

    @Test
    void versionId_selectsThatVersion_evenWithoutAnyStage() {
        String v1 = aws.createSecret(SECRET, "first-token");
        String v2 = aws.putSecretValue(SECRET, "second-token");
        aws.putSecretValue(SECRET, "third-token");
        assertThat(aws.versionStages(SECRET)).doesNotContainKey(v1);
        Map<String, String> s = settings();
        s.put("MLFLOW_AWS_SECRET_VERSION", v1);
        assertThat(headers(s)).containsEntry("Authorization", "Bearer first-token");
        s.put("MLFLOW_AWS_SECRET_VERSION", "id:" + v2);
        assertThat(headers(s)).containsEntry("Authorization", "Bearer second-token");
    }

    @Test
    void snapshot_carriesTheVersionIdAndLocation() {
        String v1 = aws.createSecret(SECRET, TOKEN);
        try (SecretsAuth auth = engines.engine(settings())) {
            HeaderSnapshot snap = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(snap.provider()).isEqualTo("aws-secrets-manager");
            assertThat(snap.location()).isEqualTo("aws-secrets-manager:" + SECRET);
            assertThat(snap.version()).contains(v1);
        }
    }

    @Test
    void secretArn_worksAsId_andItsRegionIsUsed() {
        aws.createSecret(SECRET, TOKEN);
        Map<String, String> s = AwsFixtures.without(settings(), "AWS_REGION");
        s.put("MLFLOW_AWS_SECRET_ID", aws.arnOf(SECRET));
        s.put("MLFLOW_AWS_DEFAULT_REGION", "eu-west-1"); // the ARN's region wins: a secret is read where it lives
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + TOKEN);
            assertThat(auth.chain().get(0).describe()).containsEntry("region", "us-east-1 (the secret's ARN)");
        }
    }

    @Test
    void serviceSpecificEndpoint_winsOverTheGeneralOne() {
        aws.createSecret(SECRET, TOKEN);
        Map<String, String> s = settings();
        s.put("AWS_ENDPOINT_URL", "http://127.0.0.1:1"); // nothing listens there
        s.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", aws.endpoint().toString());
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + TOKEN);
            assertThat(auth.chain().get(0).describe()).containsEntry("endpoint", aws.endpoint() + " (AWS_ENDPOINT_URL_SECRETS_MANAGER)");
        }
    }

    @Test
    void describe_showsRegionSecretVersionAndCredentialSource_withoutContactingAws() {
        Map<String, String> s = settings();
        s.put("MLFLOW_AWS_SECRET_VERSION", "AWSPENDING");
        try (SecretsAuth auth = engines.engine(s)) {
            ProviderStatus status = auth.providers().stream().filter(p -> p.name().equals("aws-secrets-manager")).findFirst().orElseThrow();
            assertThat(status.active()).isTrue();
            assertThat(status.module()).isEqualTo("mlflow-secrets-auth-aws");
            assertThat(status.details()).containsEntry("region", "us-east-1 (AWS_REGION)").containsEntry("secret id", SECRET)
                    .containsEntry("version", "stage AWSPENDING").containsEntry("credentials", "project-specific (MLFLOW_AWS_*)")
                    .containsEntry("access key id", "****************T001")
                    .containsEntry("endpoint", aws.endpoint() + " (AWS_ENDPOINT_URL)");
            assertThat(status.details().toString()).doesNotContain(PROJECT.secretAccessKey());
        }
        assertThat(aws.calls()).isEmpty();
    }

    @Test
    void withoutSecretIdOrRegion_theProviderIsNotConfigured() {
        try (SecretsAuth auth = engines.engine(AwsFixtures.without(settings(), "MLFLOW_AWS_SECRET_ID", "AWS_REGION",
                "MLFLOW_AWS_ACCESS_KEY_ID", "MLFLOW_AWS_SECRET_ACCESS_KEY"))) {
            assertThat(auth.isConfigured()).isFalse();
            ProviderStatus status = auth.providers().stream().filter(p -> p.name().equals("aws-secrets-manager")).findFirst().orElseThrow();
            assertThat(status.missing()).contains("MLFLOW_AWS_SECRET_ID");
        }
    }

    @Test
    void ttl_comesFromMlflowAwsTtlSec() {
        aws.createSecret(SECRET, TOKEN);
        Map<String, String> s = settings();
        s.put("MLFLOW_AWS_TTL_SEC", "42");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.chain().get(0).ttl()).hasSeconds(42);
        }
    }
}
