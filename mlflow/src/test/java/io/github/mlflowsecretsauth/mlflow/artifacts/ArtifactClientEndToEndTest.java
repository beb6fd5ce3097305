package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.artifact.TransferListener;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.MultipartStats;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Artifacts logged and downloaded with this API for runs created by the official MLflow Java client, against the
 * testkit MLflow server behind a real nginx that demands a Bearer token, with the token from the testkit Vault.
 */
class ArtifactClientEndToEndTest {
    private static final String TOKEN = "mlflow-api-key-demo-567890abcdef";
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path temp;

    private final Engines engines = new Engines();
    private VaultServer vault;
    private MlflowServer mlflow;
    private Nginx nginx;
    private SecretsAuth engine;
    private MlflowClient client;

    @BeforeAll
    static void nginxPresent() {
        Nginx.requireAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        mlflow = MlflowServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        nginx = Nginx.builder().upstream(mlflow.uri()).bearerTokens(TOKEN).start();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (engine != null) {
            engine.close();
        }
        nginx.close();
        mlflow.close();
        vault.close();
    }

    private MlflowClient client(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        s.putAll(extra);
        engine = engines.engine(s);
        client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString());
        return client;
    }

    private String newRun(MlflowClient c) {
        return c.createRun(c.createExperiment("artifacts-" + System.nanoTime())).getRunId();
    }

    private static Map<String, String> multipart(long minimum) {
        return Map.of(ArtifactSettings.MULTIPART_MINIMUM_SIZE, Long.toString(minimum),
                ArtifactSettings.CHUNK_SIZE, Long.toString(5 * MIB));
    }

    @Test
    void aFileAndATree_areLoggedListedAndDownloaded_andTheOfficialClientSeesThem() throws Exception {
        MlflowClient c = client(Map.of());
        String runId = newRun(c);
        Path file = write(temp.resolve("metrics.json"), 2_000);
        Path tree = temp.resolve("model");
        write(tree.resolve("MLmodel"), 300);
        write(tree.resolve("data/weights.bin"), 150_000);
        write(tree.resolve("data/nested/deep/config.yaml"), 10);
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            assertThat(artifacts.artifactUri().toString()).startsWith("mlflow-artifacts:/").endsWith(runId + "/artifacts");
            artifacts.logArtifact(file);
            artifacts.logArtifact(file, "reports/final");
            artifacts.logArtifacts(tree, "models/v1");

            assertThat(artifacts.listArtifacts()).extracting(ArtifactInfo::path)
                    .containsExactly("metrics.json", "models", "reports");
            assertThat(artifacts.listArtifacts("models/v1/data")).containsExactly(
                    ArtifactInfo.directory("models/v1/data/nested"), ArtifactInfo.file("models/v1/data/weights.bin", 150_000));
            assertThat(artifacts.listArtifacts("metrics.json")).isEmpty();

            Path target = temp.resolve("download");
            Path models = artifacts.downloadArtifacts("models", target);
            assertThat(models).isEqualTo(target.resolve("models"));
            assertSameTree(tree, models.resolve("v1"));
            Path single = artifacts.downloadArtifacts("reports/final/metrics.json", target);
            assertThat(sha256(single)).isEqualTo(sha256(file));
            Path everything = artifacts.downloadArtifacts("", temp.resolve("all"));
            assertSameTree(tree, everything.resolve("models/v1"));
        }
        // The files are where MLflow's server keeps them, so the official client and the UI see them...
        String experimentId = c.getRun(runId).getInfo().getExperimentId();
        assertThat(mlflow.artifactRoot().resolve(experimentId + "/" + runId + "/artifacts/models/v1/data/weights.bin"))
                .hasSize(150_000);
        // ...while the official client itself cannot touch them without Python: the reason this API exists.
        assertThatThrownBy(() -> c.listArtifacts(runId)).hasMessageContaining("python -m mlflow.store.artifact.cli");
        // Every request reached the server through nginx with the credential.
        assertThat(mlflow.calls()).allSatisfy(call -> assertThat(call.headers()).containsKey("Authorization"));
    }

    @Test
    void multipartOn_partsGoToThePartUrlsWithoutTheCredential_andTheFileArrivesIntact() throws Exception {
        MlflowClient c = client(multipart(6 * MIB));
        String runId = newRun(c);
        Path big = write(temp.resolve("big.bin"), 13 * MIB + 123);
        Path small = write(temp.resolve("small.bin"), 5 * MIB);
        Progress progress = new Progress();
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            artifacts.withListener(progress).logArtifact(big, "data");
            artifacts.withListener(progress).logArtifact(small, "data");
            assertThat(mlflow.multipartStats()).isEqualTo(new MultipartStats(true, 1, 3, 1, 0, 0, 0));
            List<RecordedCall> parts = mlflow.calls().stream().filter(call -> call.path().startsWith("/testkit-storage/")).toList();
            assertThat(parts).hasSize(3).allSatisfy(call -> assertThat(call.headers()).doesNotContainKey("Authorization")
                    .containsKey("X-Testkit-Upload-Token"));
            assertThat(mlflow.calls()).filteredOn(call -> call.path().contains("/mlflow-artifacts/mpu/"))
                    .allSatisfy(call -> assertThat(call.headers()).containsKey("Authorization"));

            Path down = artifacts.withListener(progress).downloadArtifacts("data", temp.resolve("down"));
            assertThat(sha256(down.resolve("big.bin"))).isEqualTo(sha256(big));
            assertThat(sha256(down.resolve("small.bin"))).isEqualTo(sha256(small));
        }
        // Totals: each file's size announced once per direction, and the deltas add up to it.
        assertThat(progress.announced).containsEntry("data/big.bin", 2 * Files.size(big))
                .containsEntry("data/small.bin", 2 * Files.size(small));
        assertThat(progress.moved.get("data/big.bin").get()).isEqualTo(2 * Files.size(big));
        assertThat(progress.moved.get("data/small.bin").get()).isEqualTo(2 * Files.size(small));
        assertThat(progress.completed).containsEntry("data/big.bin", 2L).containsEntry("data/small.bin", 2L);
    }

    @Test
    void partsInFlight_neverExceedTheConfiguredParallelism() throws Exception {
        Map<String, String> settings = new HashMap<>(multipart(MIB));
        settings.put(ArtifactSettings.PARALLELISM, "2");
        MlflowClient c = client(settings);
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, newRun(c))) {
            artifacts.logArtifact(write(temp.resolve("six-parts.bin"), 26 * MIB));
        }
        assertThat(mlflow.multipartStats().partsStored()).isEqualTo(6);
        assertThat(mlflow.maxConcurrentPartUploads()).isBetween(1, 2);
    }

    @Test
    void multipartOff_theServersNotImplemented_fallsBackToOnePut() throws Exception {
        MlflowClient c = client(multipart(MIB));
        String runId = newRun(c);
        mlflow.multipartUploads(false);
        Path big = write(temp.resolve("big.bin"), 7 * MIB);
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            artifacts.logArtifact(big);
            assertThat(sha256(artifacts.downloadArtifacts("big.bin", temp.resolve("down")))).isEqualTo(sha256(big));
        }
        assertThat(mlflow.requestCount("/mpu/create/0/" + runId + "/artifacts")).isZero(); // experiment is not 0
        assertThat(mlflow.calls()).filteredOn(call -> call.path().contains("/mpu/create/")).hasSize(1);
        assertThat(mlflow.calls()).filteredOn(call -> call.method().equals("PUT")).hasSize(1);
        assertThat(mlflow.multipartStats().created()).isZero();
    }

    @Test
    void aServerWithoutTheMultipartEndpoints_404_alsoFallsBackToOnePut() throws Exception {
        MlflowClient c = client(multipart(MIB));
        String runId = newRun(c);
        Path big = write(temp.resolve("big.bin"), 6 * MIB);
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            mlflow.respondNext(1, 404, "<!doctype html><title>404 Not Found</title>", Map.of("Content-Type", "text/html"));
            artifacts.logArtifact(big);
            assertThat(sha256(artifacts.downloadArtifacts("big.bin", temp.resolve("down")))).isEqualTo(sha256(big));
        }
        assertThat(mlflow.calls()).filteredOn(call -> call.method().equals("PUT")).hasSize(1);
    }

    @Test
    void multipartDisabledInTheSettings_neverCallsCreate() throws Exception {
        MlflowClient c = client(Map.of(ArtifactSettings.MULTIPART_ENABLED, "false", ArtifactSettings.MULTIPART_MINIMUM_SIZE, "1"));
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, newRun(c))) {
            artifacts.logArtifact(write(temp.resolve("f.bin"), 6 * MIB));
        }
        assertThat(mlflow.calls()).noneMatch(call -> call.path().contains("/mpu/"));
    }

    @Test
    void aFailedPart_abortsTheUpload_andNothingIsStored() throws Exception {
        MlflowClient c = client(multipart(MIB));
        String runId = newRun(c);
        mlflow.failNextParts(1);
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            assertThatThrownBy(() -> artifacts.logArtifact(write(temp.resolve("big.bin"), 11 * MIB)))
                    .isInstanceOf(ArtifactException.class)
                    .hasMessageContaining("uploading part").hasMessageContaining("of 'big.bin'").hasMessageContaining("HTTP 500")
                    .hasMessageNotContaining("testkit-storage"); // part URLs are bearer secrets: never in a message
            assertThat(artifacts.listArtifacts()).isEmpty();
        }
        assertThat(mlflow.multipartStats().aborted()).isEqualTo(1);
        assertThat(mlflow.multipartStats().open()).isZero();
    }

    @Test
    void aDownloadCutMidStream_leavesNoFileUnderTheFinalName_andNoTemporaryFile() throws Exception {
        MlflowClient c = client(Map.of());
        String runId = newRun(c);
        Path target = temp.resolve("down");
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            artifacts.logArtifact(write(temp.resolve("data.bin"), 3 * MIB));
            Files.createDirectories(target);
            mlflow.truncateNextDownload(MIB);
            assertThatThrownBy(() -> artifacts.downloadArtifacts("data.bin", target)).isInstanceOf(ArtifactException.class)
                    .hasMessageContaining("'data.bin'");
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left).isEmpty();
            }
            // A listener that fails mid-stream (an IOException of the caller's own) leaves nothing either.
            TransferListener failing = new TransferListener() {
                private final AtomicLong seen = new AtomicLong();

                @Override
                public void transferred(String path, long bytes) {
                    if (seen.addAndGet(bytes) > MIB) {
                        throw new java.io.UncheckedIOException(new IOException("disk full (simulated by the listener)"));
                    }
                }
            };
            assertThatThrownBy(() -> artifacts.withListener(failing).downloadArtifacts("data.bin", target))
                    .hasMessageContaining("disk full");
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left).isEmpty();
            }
            // An interrupt mid-stream (a cancelled job) leaves nothing either.
            TransferListener interrupting = new TransferListener() {
                private final AtomicLong seen = new AtomicLong();

                @Override
                public void transferred(String path, long bytes) {
                    if (seen.addAndGet(bytes) > MIB) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            try {
                assertThatThrownBy(() -> artifacts.withListener(interrupting).downloadArtifacts("data.bin", target))
                        .isInstanceOf(ArtifactException.class).hasMessageContaining("interrupted");
            } finally {
                Thread.interrupted();
            }
            try (Stream<Path> left = Files.list(target)) {
                assertThat(left).isEmpty();
            }
            assertThat(Files.size(artifacts.downloadArtifacts("data.bin", target))).isEqualTo(3 * MIB);
        }
    }

    @Test
    void dotDotPaths_areRejectedBeforeAnythingIsSent() throws Exception {
        MlflowClient c = client(Map.of());
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, newRun(c))) {
            int before = mlflow.requestCount();
            Path file = write(temp.resolve("f.txt"), 10);
            assertThatThrownBy(() -> artifacts.logArtifact(file, "../escape")).isInstanceOf(ArtifactException.class)
                    .hasMessage("invalid artifact path '../escape': '..', '.' and empty segments are not allowed");
            assertThatThrownBy(() -> artifacts.downloadArtifacts("a/../../etc", temp)).isInstanceOf(ArtifactException.class);
            assertThatThrownBy(() -> artifacts.listArtifacts("/etc")).isInstanceOf(ArtifactException.class);
            assertThat(mlflow.requestCount()).isEqualTo(before);
        }
    }

    @Test
    void anUnknownRun_andAMissingFile_areOneLineErrors() {
        MlflowClient c = client(Map.of());
        assertThatThrownBy(() -> MlflowSecretsAuth.artifacts(c, "0123456789abcdef")).isInstanceOf(ArtifactException.class)
                .hasMessage("run '0123456789abcdef' not found on the MLflow server");
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, newRun(c))) {
            assertThatThrownBy(() -> artifacts.logArtifact(temp.resolve("missing.txt")))
                    .hasMessage("no such file: " + temp.resolve("missing.txt"));
            assertThatThrownBy(() -> artifacts.downloadArtifacts("missing.txt", temp))
                    .hasMessageContaining("downloading 'missing.txt'").hasMessageContaining("HTTP 404");
        }
    }

    @Test
    void aFileArtifactRoot_fromMlflowArtifactRoot_isWrittenLocallyWithTheRunsLayout() throws Exception {
        Path root = temp.resolve("artifact-root");
        MlflowClient c = client(Map.of(ArtifactSettings.ARTIFACT_ROOT, root.toUri().toString()));
        String runId = newRun(c);
        String experimentId = c.getRun(runId).getInfo().getExperimentId();
        Path file = write(temp.resolve("notes.txt"), 1234);
        Progress progress = new Progress();
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId).withListener(progress)) {
            assertThat(artifacts.artifactUri().getScheme()).isEqualTo("file");
            artifacts.logArtifact(file, "docs");
            assertThat(root.resolve(experimentId + "/" + runId + "/artifacts/docs/notes.txt")).hasSameBinaryContentAs(file);
            assertThat(artifacts.listArtifacts("docs")).containsExactly(ArtifactInfo.file("docs/notes.txt", 1234));
            assertThat(artifacts.downloadArtifacts("docs", temp.resolve("down")).resolve("notes.txt")).hasSameBinaryContentAs(file);
            assertThatThrownBy(() -> artifacts.logArtifact(file, "../../outside")).isInstanceOf(ArtifactException.class);
        }
        assertThat(progress.moved.get("docs/notes.txt").get()).isEqualTo(2 * 1234);
        assertThat(mlflow.calls()).noneMatch(call -> call.path().contains("mlflow-artifacts"));
    }

    /** Sums what a listener is told, per path. */
    private static final class Progress implements TransferListener {
        final Map<String, Long> announced = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> moved = new ConcurrentHashMap<>();
        final Map<String, Long> completed = new ConcurrentHashMap<>();

        @Override
        public void started(String path, long totalBytes) {
            announced.merge(path, totalBytes, Long::sum);
        }

        @Override
        public void transferred(String path, long bytes) {
            moved.computeIfAbsent(path, p -> new AtomicLong()).addAndGet(bytes);
        }

        @Override
        public void completed(String path) {
            completed.merge(path, 1L, Long::sum);
        }
    }

    static Path write(Path file, long size) throws IOException {
        Files.createDirectories(file.getParent());
        Random random = new Random(size);
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                random.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return file;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void assertSameTree(Path expected, Path actual) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(expected)) {
            files = walk.filter(Files::isRegularFile).map(expected::relativize).sorted().toList();
        }
        try (Stream<Path> walk = Files.walk(actual)) {
            assertThat(walk.filter(Files::isRegularFile).map(actual::relativize).sorted().toList()).isEqualTo(files);
        }
        for (Path relative : files) {
            assertThat(sha256(actual.resolve(relative))).isEqualTo(sha256(expected.resolve(relative)));
        }
    }
}
