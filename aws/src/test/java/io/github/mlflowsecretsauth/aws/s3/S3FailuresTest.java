package io.github.mlflowsecretsauth.aws.s3;

import static io.github.mlflowsecretsauth.aws.s3.S3Fixtures.BUCKET;
import static io.github.mlflowsecretsauth.aws.s3.S3Fixtures.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.github.mlflowsecretsauth.artifact.TransferListener;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.testing.LogCapture;
import io.github.mlflowsecretsauth.testkit.s3.S3Server;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What goes wrong, at the server: aborted multipart uploads, corrupted downloads, interrupted transfers,
 * and S3's error codes mapped to one-line messages that name the bucket, key and credential source.
 */
class S3FailuresTest {
    private static S3Server s3;
    @TempDir
    Path dir;
    private Map<String, String> env;
    private String prefix;

    @BeforeAll
    static void start() {
        s3 = S3Fixtures.server();
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @BeforeEach
    void fresh(TestInfo test) {
        s3.gateway().reset();
        prefix = "failures/" + test.getTestMethod().orElseThrow().getName();
        env = S3Fixtures.env(s3, prefix);
    }

    private S3Client direct() {
        return S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(AwsFixtures.PROJECT.accessKeyId(),
                        AwsFixtures.PROJECT.secretAccessKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private int pendingUploads() {
        try (S3Client c = direct()) {
            return c.listMultipartUploads(r -> r.bucket(BUCKET).prefix(prefix + "/")).uploads().size();
        }
    }

    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }

    @Test
    void failedPart_abortsTheMultipartUpload_andLeavesNoPendingUpload() throws Exception {
        Path big = S3Fixtures.randomFile(dir.resolve("big.bin"), 16L * MIB, 1);
        s3.gateway().fail("UploadPart", 1, 500, "InternalError");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            assertThatThrownBy(() -> repo.upload(big, "big.bin", TransferListener.NONE)).isInstanceOf(IOException.class)
                    .hasMessageContaining("S3").hasMessageContaining("HTTP 500").hasMessageContaining(BUCKET);
        }
        assertThat(s3.gateway().signingKeys("AbortMultipartUpload")).containsExactly(AwsFixtures.PROJECT.accessKeyId());
        assertThat(s3.gateway().signingKeys("CompleteMultipartUpload")).isEmpty();
        assertThat(pendingUploads()).isZero();
    }

    @Test
    void interruptedUpload_abortsTheMultipartUpload() throws Exception {
        Path big = S3Fixtures.randomFile(dir.resolve("big.bin"), 16L * MIB, 2);
        Thread caller = Thread.currentThread();
        AtomicBoolean once = new AtomicBoolean();
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            assertThatThrownBy(() -> repo.upload(big, "big.bin", new TransferListener() {
                @Override
                public void transferred(String path, long bytes) {
                    if (once.compareAndSet(false, true)) {
                        caller.interrupt();
                    }
                }
            })).isInstanceOf(InterruptedIOException.class).hasMessageContaining("aborted");
            assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        }
        assertThat(s3.gateway().signingKeys("AbortMultipartUpload")).hasSize(1);
        assertThat(pendingUploads()).isZero();
    }

    @Test
    void corruptedSinglePartDownload_failsTheChecksum_andLeavesNoFile() throws Exception {
        Path small = S3Fixtures.randomFile(dir.resolve("small.bin"), 300_000, 3);
        Path target = dir.resolve("out/small.bin");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            repo.upload(small, "small.bin", TransferListener.NONE);
            s3.gateway().corruptNextBody("GetObject");
            assertThatThrownBy(() -> repo.download("small.bin", target, TransferListener.NONE)).isInstanceOf(IOException.class)
                    .hasMessageContaining("checksum").hasMessageContaining("s3://" + BUCKET + "/" + prefix + "/small.bin");
            assertThat(target).doesNotExist();
            assertThat(leftovers()).isEmpty();
            repo.download("small.bin", target, TransferListener.NONE);
            assertThat(Files.mismatch(small, target)).isEqualTo(-1);
        }
    }

    @Test
    void corruptedMultipartDownload_failsTheMultipartEtag_andKeepsAnExistingFile() throws Exception {
        Path big = S3Fixtures.randomFile(dir.resolve("big.bin"), 11L * MIB, 4);
        Path target = Files.writeString(dir.resolve("big-copy.bin"), "previous content");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            repo.upload(big, "big.bin", TransferListener.NONE);
            s3.gateway().corruptNextBody("GetObject");
            assertThatThrownBy(() -> repo.download("big.bin", target, TransferListener.NONE)).isInstanceOf(IOException.class)
                    .hasMessageContaining("multipart MD5 ETag differs");
        }
        assertThat(Files.readString(target)).isEqualTo("previous content");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void interruptedDownload_leavesNothingUnderTheFinalName() throws Exception {
        Path big = S3Fixtures.randomFile(dir.resolve("src.bin"), 2L * MIB, 5);
        Path target = dir.resolve("out/dst.bin");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            repo.upload(big, "src.bin", TransferListener.NONE);
            assertThatThrownBy(() -> repo.download("src.bin", target, new TransferListener() {
                @Override
                public void transferred(String path, long bytes) {
                    Thread.currentThread().interrupt();
                }
            })).isInstanceOf(InterruptedIOException.class);
            assertThat(Thread.interrupted()).isTrue();
        }
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void missingBucket_andMissingKey_areNamed() throws Exception {
        Map<String, String> e = S3Fixtures.env(s3, "x");
        e.put("MLFLOW_ARTIFACT_ROOT", "s3://no-such-bucket/x");
        try (S3ArtifactRepository repo = S3Fixtures.repository(e)) {
            assertThatThrownBy(() -> repo.list("")).isInstanceOf(FileNotFoundException.class)
                    .hasMessageContaining("'no-such-bucket' does not exist (NoSuchBucket)").hasMessageContaining("MLFLOW_ARTIFACT_ROOT");
        }
        Path target = dir.resolve("nope.bin");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            assertThatThrownBy(() -> repo.download("nope.bin", target, TransferListener.NONE)).isInstanceOf(FileNotFoundException.class)
                    .hasMessage("no S3 object s3://" + BUCKET + "/" + prefix + "/nope.bin (NoSuchKey) when downloading 'nope.bin': check the artifact path");
        }
        assertThat(target).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void accessDenied_namesTheCredentialSource() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "a");
        s3.gateway().fail("PutObject", 1, 403, "AccessDenied");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            assertThatThrownBy(() -> repo.upload(a, "a.txt", TransferListener.NONE)).isInstanceOf(IOException.class)
                    .hasMessageStartingWith("access denied to s3://" + BUCKET + "/" + prefix + "/a.txt for the credentials from project-specific (MLFLOW_AWS_*) (AccessDenied)")
                    .hasMessageContaining("s3:PutObject");
        }
    }

    @Test
    void unknownAccessKey_andWrongSecret_areRefusedByTheServer_withClearMessages() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "a");
        Map<String, String> unknown = new java.util.HashMap<>(env);
        unknown.put("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000001");
        try (S3ArtifactRepository repo = S3Fixtures.repository(unknown)) {
            assertThatThrownBy(() -> repo.upload(a, "a.txt", TransferListener.NONE)).hasMessageContaining("InvalidAccessKeyId")
                    .hasMessageContaining("project-specific (MLFLOW_AWS_*)").hasMessageContaining("MLFLOW_AWS_ACCESS_KEY_ID");
        }
        Map<String, String> wrong = new java.util.HashMap<>(env);
        wrong.put("MLFLOW_AWS_SECRET_ACCESS_KEY", "CANARYwrongSecretKey/000000000000000");
        try (S3ArtifactRepository repo = S3Fixtures.repository(wrong)) {
            assertThatThrownBy(() -> repo.list("")).hasMessageContaining("SignatureDoesNotMatch")
                    .hasMessageContaining("MLFLOW_AWS_SECRET_ACCESS_KEY").hasMessageNotContaining("CANARY");
        }
        assertThat(s3.gateway().calls()).extracting(c -> c.signature()).containsExactly("UNKNOWN_KEY", "BAD_SIGNATURE");
    }

    @Test
    void throttling_isRetriedBySdk_thenReported() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "a");
        env.put("AWS_MAX_ATTEMPTS", "2");
        s3.gateway().fail("PutObject", 5, 503, "SlowDown");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            assertThatThrownBy(() -> repo.upload(a, "a.txt", TransferListener.NONE)).hasMessageContaining("throttling requests (SlowDown)")
                    .hasMessageContaining("AWS_MAX_ATTEMPTS");
        }
        assertThat(s3.gateway().signingKeys("PutObject")).hasSize(2);
    }

    @Test
    void connectionRefused_namesTheEndpointVariable() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        env.put("MLFLOW_S3_ENDPOINT_URL", "http://127.0.0.1:" + port);
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            assertThatThrownBy(() -> repo.list("")).isInstanceOf(IOException.class).hasMessageContaining("connection refused")
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void selfSignedEndpoint_isRefused_unlessIgnoreTlsIsSet() throws Exception {
        env.put("MLFLOW_S3_ENDPOINT_URL", s3.mockHttpsEndpoint().toString()); // S3Mock's own HTTPS port, self-signed
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            assertThatThrownBy(() -> repo.list("")).isInstanceOf(IOException.class).hasMessageContaining("TLS with S3 at " + s3.mockHttpsEndpoint());
        }
        env.put("MLFLOW_S3_IGNORE_TLS", "true");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            repo.upload(Files.writeString(dir.resolve("a.txt"), "a"), "a.txt", TransferListener.NONE);
            assertThat(repo.list("")).extracting(a -> a.path()).containsExactly("a.txt");
        }
    }

    @Test
    void badRoots_areOneLineErrorsNamingTheVariable() {
        for (String root : List.of("s3://Bad_Bucket/x", "s3://ab/x", "s3://bucket/a/../b", "s3://bucket/a//b", "s3://192.168.1.1/x")) {
            env.put("MLFLOW_ARTIFACT_ROOT", root);
            assertThatThrownBy(() -> S3Fixtures.repository(env)).hasMessageStartingWith("MLFLOW_ARTIFACT_ROOT")
                    .hasMessageNotContaining("\n").hasMessageNotContaining(root);
        }
        assertThatThrownBy(() -> S3Location.parse("MLFLOW_ARTIFACT_ROOT", "s3:/bucket"))
                .hasMessage("MLFLOW_ARTIFACT_ROOT is not an s3:// URI: use s3://bucket/prefix");
        assertThat(S3Location.parse("MLFLOW_ARTIFACT_ROOT", "s3://my.bucket-1/a/b/")).isEqualTo(new S3Location("my.bucket-1", "a/b"));
        env.put("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", "1000");
        env.put("MLFLOW_ARTIFACT_ROOT", "s3://bucket/x");
        assertThatThrownBy(() -> S3Fixtures.repository(env)).hasMessageStartingWith("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE must be from 5242880");
    }

    @Test
    void noSecretInLogsOrMessages_withTheSdkAtDebug() throws Exception {
        Logger sdk = (Logger) LoggerFactory.getLogger("software.amazon.awssdk");
        Level before = sdk.getLevel();
        sdk.setLevel(Level.DEBUG);
        Logger signer = (Logger) LoggerFactory.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer");
        Level signerBefore = signer.getLevel();
        signer.setLevel(Level.INFO); // the SDK's signer logs the canonical request (see aws/README.md)
        List<String> messages = new ArrayList<>();
        Path a = Files.writeString(dir.resolve("a.txt"), "a");
        try (LogCapture logs = new LogCapture()) {
            try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
                repo.upload(a, "a.txt", TransferListener.NONE);
                messages.add(repo.toString());
                s3.gateway().fail("GetObject", 1, 403, "AccessDenied");
                try {
                    repo.download("a.txt", dir.resolve("b.txt"), TransferListener.NONE);
                } catch (IOException e) {
                    messages.add(e.getMessage());
                }
            }
            Map<String, String> wrong = new java.util.HashMap<>(env);
            wrong.put("MLFLOW_AWS_SECRET_ACCESS_KEY", "CANARYwrongSecretKey/000000000000000");
            try (S3ArtifactRepository repo = S3Fixtures.repository(wrong)) {
                repo.list("");
            } catch (IOException e) {
                messages.add(e.getMessage());
            }
            assertThat(logs.lines()).as("Logback still captures after S3Mock (Spring Boot) started").isNotEmpty();
            messages.addAll(logs.lines());
        } finally {
            sdk.setLevel(before);
            signer.setLevel(signerBefore);
        }
        assertThat(messages).hasSizeGreaterThan(3).noneMatch(m -> m.contains("CANARY"));
    }
}
