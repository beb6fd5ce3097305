package io.github.mlflowsecretsauth.aws.s3;

import static io.github.mlflowsecretsauth.aws.s3.S3Fixtures.BUCKET;
import static io.github.mlflowsecretsauth.aws.s3.S3Fixtures.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.artifact.TransferListener;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.testkit.s3.S3Call;
import io.github.mlflowsecretsauth.testkit.s3.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Upload, list and download against S3Mock behind the signature-checking gateway, with project and global keys set. */
class S3ArtifactRepositoryTest {
    private static S3Server s3;
    @TempDir
    Path dir;
    private Map<String, String> env;

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
        env = S3Fixtures.env(s3, "experiments/" + test.getTestMethod().orElseThrow().getName());
    }

    @Test
    void smallFiles_roundTrip_andListShowsDirectChildrenRelativeToTheRoot() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "alpha");
        Path b = Files.writeString(dir.resolve("b.json"), "{\"b\":1}");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            repo.upload(a, "a.txt", TransferListener.NONE);
            repo.upload(b, "model/conf/b.json", TransferListener.NONE);
            repo.upload(a, "model/weights.bin", TransferListener.NONE);

            assertThat(repo.list("")).containsExactlyInAnyOrder(ArtifactInfo.file("a.txt", 5), ArtifactInfo.directory("model"));
            assertThat(repo.list("model")).containsExactlyInAnyOrder(ArtifactInfo.directory("model/conf"),
                    ArtifactInfo.file("model/weights.bin", 5));
            assertThat(repo.list("model/conf/")).containsExactly(ArtifactInfo.file("model/conf/b.json", 7));
            assertThat(repo.list("nothing-here")).isEmpty();

            Path out = dir.resolve("out/nested/b.json");
            repo.download("model/conf/b.json", out, TransferListener.NONE);
            assertThat(Files.readString(out)).isEqualTo("{\"b\":1}");
        }
        assertThat(s3.gateway().calls()).extracting(S3Call::operation).contains("PutObject", "ListObjectsV2", "GetObject");
        assertThat(s3.gateway().calls()).allSatisfy(c -> {
            assertThat(c.accessKeyId()).contains(AwsFixtures.PROJECT.accessKeyId());
            assertThat(c.authenticated()).isTrue();
        });
        assertThat(s3.gateway().calls()).filteredOn(c -> c.operation().equals("PutObject"))
                .extracting(S3Call::key).containsExactly("experiments/smallFiles_roundTrip_andListShowsDirectChildrenRelativeToTheRoot/a.txt",
                        "experiments/smallFiles_roundTrip_andListShowsDirectChildrenRelativeToTheRoot/model/conf/b.json",
                        "experiments/smallFiles_roundTrip_andListShowsDirectChildrenRelativeToTheRoot/model/weights.bin");
    }

    @Test
    void listing_followsPagination() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "x");
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            for (String p : List.of("many/f1", "many/f2", "many/f3", "many/f4", "many/f5", "many/d1/x", "many/d2/y")) {
                repo.upload(a, p, TransferListener.NONE);
            }
            repo.listPageSize(2);
            assertThat(repo.list("many")).extracting(ArtifactInfo::path).containsExactlyInAnyOrder("many/f1", "many/f2", "many/f3",
                    "many/f4", "many/f5", "many/d1", "many/d2");
        }
        assertThat(s3.gateway().signingKeys("ListObjectsV2")).as("pages fetched").hasSizeGreaterThan(2);
    }

    @Test
    void multipartUpload_sendsPartsInParallel_boundedByTheConcurrency_andRoundTrips() throws Exception {
        Path big = S3Fixtures.randomFile(dir.resolve("big.bin"), 23L * MIB + 123, 7);
        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        s3.gateway().holdUploadPartsUntilInFlight(3);
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            repo.upload(big, "model/big.bin", new TransferListener() {
                @Override
                public void transferred(String path, long bytes) {
                    sent.addAndGet(bytes);
                }
            });
            Path out = dir.resolve("down/big.bin");
            repo.download("model/big.bin", out, new TransferListener() {
                @Override
                public void transferred(String path, long bytes) {
                    received.addAndGet(bytes);
                }
            });
            assertThat(Files.mismatch(big, out)).isEqualTo(-1);
        }
        assertThat(s3.gateway().signingKeys("UploadPart")).hasSize(5).containsOnly(AwsFixtures.PROJECT.accessKeyId());
        assertThat(s3.gateway().maxInFlight("UploadPart")).as("parts in flight at once").isEqualTo(3);
        assertThat(sent.get()).isEqualTo(Files.size(big));
        assertThat(received.get()).isEqualTo(Files.size(big));
        assertThat(s3.gateway().signingKeys("CompleteMultipartUpload")).containsExactly(AwsFixtures.PROJECT.accessKeyId());
    }

    @Test
    void smallUpload_reportsProgressAndCompletion() throws Exception {
        Path a = Files.write(dir.resolve("a.bin"), "0123456789".getBytes(StandardCharsets.UTF_8));
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (S3ArtifactRepository repo = S3Fixtures.repository(env)) {
            repo.upload(a, "a.bin", new TransferListener() {
                @Override
                public void started(String path, long totalBytes) {
                    events.add("started " + path + " " + totalBytes);
                }

                @Override
                public void completed(String path) {
                    events.add("completed " + path);
                }
            });
        }
        assertThat(events).containsExactly("started a.bin 10", "completed a.bin");
    }
}
