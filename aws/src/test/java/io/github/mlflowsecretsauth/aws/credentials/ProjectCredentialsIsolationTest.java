package io.github.mlflowsecretsauth.aws.credentials;

import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.GLOBAL;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Seed 000's promise, checked at the server: with both MLFLOW_AWS_* and AWS_* set, every Secrets
 * Manager request of the project is signed with the MLFLOW_AWS_* key, and an unrelated AWS SDK client
 * in the same JVM, configured the ordinary way (the SDK's default chain), keeps signing with the
 * global key.
 */
class ProjectCredentialsIsolationTest {
    private static final String[] GLOBAL_PROPERTIES = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken"};

    private final Engines engines = new Engines();
    private AwsServer aws;

    @BeforeEach
    void start() {
        aws = AwsFixtures.server();
        aws.createSecret(SECRET, "{\"token\":\"t-1\"}");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void withProjectAndGlobalKeys_everyProjectRequestIsSignedWithTheProjectKey_andAnUnrelatedClientKeepsTheGlobalKey() {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null, "the real environment must not hold AWS keys for this test");
        Properties saved = (Properties) System.getProperties().clone();
        // The "global" AWS configuration of this JVM, as another library in the process would see it.
        System.setProperty("aws.accessKeyId", GLOBAL.accessKeyId());
        System.setProperty("aws.secretAccessKey", GLOBAL.secretAccessKey());
        try {
            Map<Object, Object> globalBefore = Map.copyOf(System.getProperties());
            try (SecretsAuth auth = engines.engine(AwsFixtures.settingsWithGlobalKeys(aws))) {
                HeaderSnapshot first = auth.snapshotFor(MLFLOW).orElseThrow();
                auth.reportRejected(first);
                auth.headersFor(MLFLOW);
                auth.clearCache();
                auth.headersFor(MLFLOW);
                assertThat(auth.chain().get(0).describe()).containsEntry("credentials", "project-specific (MLFLOW_AWS_*)");

                try (SecretsManagerClient unrelated = SecretsManagerClient.builder().endpointOverride(aws.endpoint())
                        .region(Region.US_EAST_1).credentialsProvider(DefaultCredentialsProvider.builder().build())
                        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                    assertThat(unrelated.getSecretValue(r -> r.secretId(SECRET).versionStage("AWSCURRENT")).secretString())
                            .isEqualTo("{\"token\":\"t-1\"}");
                }
                engines.scheduler.advance(java.time.Duration.ofSeconds(1)); // clears less than 1 s apart are merged
                auth.clearCache();
                auth.headersFor(MLFLOW);
            }
            assertThat(aws.signingKeys("GetSecretValue")).containsExactly(PROJECT.accessKeyId(), PROJECT.accessKeyId(),
                    PROJECT.accessKeyId(), GLOBAL.accessKeyId(), PROJECT.accessKeyId());
            assertThat(Map.copyOf(System.getProperties())).as("the project wrote no system property").isEqualTo(globalBefore);
        } finally {
            for (String p : GLOBAL_PROPERTIES) {
                System.clearProperty(p);
            }
            System.setProperties(saved);
        }
    }

    @Test
    void projectKeysInDotEnv_winOverGlobalKeysInTheEnvironment_atTheServer() {
        Settings settings = Settings.builder()
                .environment(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "aws-secrets-manager", "MLFLOW_AWS_SECRET_ID", SECRET,
                        "AWS_ENDPOINT_URL", aws.endpoint().toString(), "AWS_REGION", "eu-west-1",
                        "AWS_ACCESS_KEY_ID", GLOBAL.accessKeyId(), "AWS_SECRET_ACCESS_KEY", GLOBAL.secretAccessKey()))
                .dotEnv(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT.accessKeyId(), "MLFLOW_AWS_SECRET_ACCESS_KEY",
                        PROJECT.secretAccessKey(), "MLFLOW_AWS_DEFAULT_REGION", "us-east-1"))
                .build();
        try (SecretsAuth auth = SecretsAuth.builder().settings(settings).clock(engines.clock).scheduler(engines.scheduler)
                .sleeper(engines.sleeps::add).build()) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer t-1");
        }
        assertThat(aws.signingKeys("GetSecretValue")).containsExactly(PROJECT.accessKeyId());
    }

    @Test
    void globalKeysAlone_signTheRequests() {
        Map<String, String> s = AwsFixtures.without(AwsFixtures.settingsWithGlobalKeys(aws), "MLFLOW_AWS_ACCESS_KEY_ID",
                "MLFLOW_AWS_SECRET_ACCESS_KEY");
        try (SecretsAuth auth = engines.engine(s)) {
            auth.headersFor(MLFLOW);
            assertThat(auth.chain().get(0).describe()).containsEntry("credentials", "global (AWS_*)");
        }
        assertThat(aws.signingKeys("GetSecretValue")).containsExactly(GLOBAL.accessKeyId());
    }

    @Test
    void temporaryProjectKeys_sendTheirSessionToken() {
        Map<String, String> s = AwsFixtures.settings(aws);
        s.put("MLFLOW_AWS_ACCESS_KEY_ID", AwsFixtures.TEMPORARY.accessKeyId());
        s.put("MLFLOW_AWS_SECRET_ACCESS_KEY", AwsFixtures.TEMPORARY.secretAccessKey());
        s.put("MLFLOW_AWS_SESSION_TOKEN", AwsFixtures.SESSION_TOKEN);
        s.put("AWS_SESSION_TOKEN", "CANARYglobalTokenMustNotBeSent");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.headersFor(MLFLOW)).isNotEmpty();
        }
        assertThat(aws.calls("GetSecretValue")).singleElement().satisfies(c -> assertThat(c.authenticated()).isTrue());
    }

    @Test
    void defaultChain_usesTheProfileNamedThroughSettings_andReportsItsProvider(@TempDir Path dir) throws Exception {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null
                && System.getenv("AWS_WEB_IDENTITY_TOKEN_FILE") == null, "the real environment must not hold AWS credentials");
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, "[ml]\naws_access_key_id = " + PROJECT.accessKeyId() + "\naws_secret_access_key = "
                + PROJECT.secretAccessKey() + "\n");
        Path config = dir.resolve("config");
        Files.writeString(config, "[profile ml]\nregion = us-east-1\n");
        Map<String, String> s = AwsFixtures.without(AwsFixtures.settings(aws), "MLFLOW_AWS_ACCESS_KEY_ID", "MLFLOW_AWS_SECRET_ACCESS_KEY",
                "AWS_REGION");
        s.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
        s.put("AWS_CONFIG_FILE", config.toString());
        s.put("AWS_PROFILE", "ml");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.chain().get(0).describe()).containsEntry("credentials", "default chain (not resolved yet)")
                    .containsEntry("region", "us-east-1 (AWS profile 'ml')");
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer t-1");
            assertThat(auth.chain().get(0).describe().get("credentials")).isEqualTo("default chain (ProfileCredentialsProvider)");
        }
        assertThat(aws.signingKeys("GetSecretValue")).containsExactly(PROJECT.accessKeyId());
    }
}
