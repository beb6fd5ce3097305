package io.github.mlflowsecretsauth.aws.s3;

import static io.github.mlflowsecretsauth.aws.s3.S3Fixtures.BUCKET;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.GLOBAL;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.artifact.TransferListener;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ArtifactRepositoryFactory;
import io.github.mlflowsecretsauth.testkit.s3.S3Call;
import io.github.mlflowsecretsauth.testkit.s3.S3Server;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Seed 000 at the S3 server: with the global AWS_* keys also set, every S3 request of the artifact store is
 * signed with the project-scoped MLFLOW_AWS_* key (the gateway verifies each signature with that key's
 * secret), while an unrelated S3 client in the same JVM keeps signing with the global key.
 */
class S3ProjectCredentialsTest {
    private static S3Server s3;
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        s3 = S3Fixtures.server();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @BeforeEach
    void reset() {
        s3.gateway().reset();
    }

    @Test
    void everyS3Request_carriesTheProjectKey_whileTheGlobalKeysAreSet_andAnUnrelatedClientKeepsTheGlobalKey() throws Exception {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null, "the real environment must not hold AWS keys for this test");
        Path big = S3Fixtures.randomFile(dir.resolve("big.bin"), 12L * S3Fixtures.MIB, 9);
        Properties saved = (Properties) System.getProperties().clone();
        System.setProperty("aws.accessKeyId", GLOBAL.accessKeyId());
        System.setProperty("aws.secretAccessKey", GLOBAL.secretAccessKey());
        try {
            Map<String, String> env = S3Fixtures.env(s3, "isolation");
            assertThat(env).containsEntry("AWS_ACCESS_KEY_ID", GLOBAL.accessKeyId());
            try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
                repo.upload(big, "big.bin", TransferListener.NONE);
                repo.upload(Files.writeString(dir.resolve("a.txt"), "a"), "a.txt", TransferListener.NONE);
                repo.list("");
                repo.download("big.bin", dir.resolve("copy.bin"), TransferListener.NONE);
                assertThat(repo.toString()).contains("project-specific (MLFLOW_AWS_*)");
            }
            int projectCalls = s3.gateway().calls().size();
            try (S3Client unrelated = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                    .credentialsProvider(DefaultCredentialsProvider.builder().build())
                    .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
                unrelated.headBucket(r -> r.bucket(BUCKET));
            }
            assertThat(s3.gateway().calls().subList(0, projectCalls)).extracting(S3Call::operation)
                    .contains("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "PutObject", "ListObjectsV2", "GetObject");
            assertThat(s3.gateway().calls().subList(0, projectCalls)).allSatisfy(c -> {
                assertThat(c.accessKeyId()).contains(PROJECT.accessKeyId());
                assertThat(c.authenticated()).as("signature verified with the project secret").isTrue();
            });
            assertThat(s3.gateway().signingKeys("HeadBucket")).containsExactly(GLOBAL.accessKeyId());
        } finally {
            System.setProperties(saved);
        }
    }

    @Test
    void projectKeysFromDotEnv_winOverGlobalKeysInTheEnvironment_atTheServer() throws Exception {
        Map<String, String> all = S3Fixtures.env(s3, "dotenv");
        Map<String, String> environment = new java.util.HashMap<>(all);
        environment.remove("MLFLOW_AWS_ACCESS_KEY_ID");
        environment.remove("MLFLOW_AWS_SECRET_ACCESS_KEY");
        Settings settings = Settings.builder().environment(environment)
                .dotEnv(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT.accessKeyId(), "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT.secretAccessKey()))
                .build();
        ArtifactRepositoryFactory factory = ServiceLoader.load(ArtifactRepositoryFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.scheme().equals("s3")).findFirst().orElseThrow();
        try (ArtifactRepository repo = factory.create(URI.create("s3://" + BUCKET + "/dotenv"), settings)) {
            assertThat(repo.root()).isEqualTo(URI.create("s3://" + BUCKET + "/dotenv"));
            repo.upload(Files.writeString(dir.resolve("a.txt"), "a"), "a.txt", TransferListener.NONE);
        }
        assertThat(s3.gateway().signingKeys("PutObject")).containsExactly(PROJECT.accessKeyId());
    }
}
