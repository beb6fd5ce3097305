package io.github.mlflowsecretsauth.tracking.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mlflow-artifacts upload, download and list endpoints, and artifacts/list for a run. */
class MlflowArtifactsTest {

    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";

    @TempDir
    Path temp;

    private MlflowServer server;
    private MlflowHttp http;

    @BeforeEach
    void start() {
        server = MlflowServer.builder().artifactRoot(temp.resolve("artifacts")).start();
        http = new MlflowHttp(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void streams50MibUpAndDownAndIntoTheArtifactRoot() throws Exception {
        Path source = temp.resolve("big.bin");
        writeRandom(source, 50L * 1024 * 1024);
        String path = "0/abc/artifacts/data/big.bin";

        HttpResponse<String> put = http.client().send(HttpRequest.newBuilder(uri(ARTIFACTS + "/" + path))
                .PUT(HttpRequest.BodyPublishers.ofFile(source)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).isEqualTo("{}");
        Path stored = server.artifactRoot().resolve(path);
        assertThat(stored).hasSize(Files.size(source));
        assertThat(sha256(stored)).isEqualTo(sha256(source));
        assertThat(server.artifactRoot().resolve(ArtifactStore.UPLOADS)).isEmptyDirectory();
        assertThat(server.calls().get(0).body()).isNull();

        Path downloaded = temp.resolve("down.bin");
        HttpResponse<Path> get = http.client().send(HttpRequest.newBuilder(uri(ARTIFACTS + "/" + path)).build(),
                HttpResponse.BodyHandlers.ofFile(downloaded));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Content-Length")).hasValue(Long.toString(Files.size(source)));
        assertThat(get.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=big.bin");
        assertThat(sha256(downloaded)).isEqualTo(sha256(source));
    }

    @Test
    void truncatedDownload_announcesTheFullLengthButDropsTheConnection() throws Exception {
        upload("t/file.bin", "0123456789".repeat(10_000));
        server.truncateNextDownload(1000);
        HttpRequest get = HttpRequest.newBuilder(uri(ARTIFACTS + "/t/file.bin")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> http.client().send(get, HttpResponse.BodyHandlers.ofByteArray())).isInstanceOf(IOException.class);
        assertThat(http.client().send(get, HttpResponse.BodyHandlers.ofByteArray()).body()).hasSize(100_000);
    }

    @Test
    void listsDirectoriesWithBaseNamesAndHidesTheUploadArea() throws Exception {
        upload("1/run/artifacts/model/a.txt", "hello");
        upload("1/run/artifacts/model/sub/b.txt", "hi");
        upload("1/run/artifacts/model/a.txt", "hello again");

        JsonNode model = http.send("GET", ARTIFACTS + "?path=1/run/artifacts/model", null).json();
        assertThat(model.toString()).isEqualTo("{\"files\":[{\"path\":\"a.txt\",\"is_dir\":false,\"file_size\":11},"
                + "{\"path\":\"sub\",\"is_dir\":true}]}");
        JsonNode root = http.send("GET", ARTIFACTS, null).json();
        assertThat(root.path("files")).extracting(file -> file.path("path").asText()).containsExactly("1");
        assertThat(http.send("GET", ARTIFACTS + "?path=nowhere", null).body()).isEqualTo("{}");
        HttpResponse<String> text = http.client().send(HttpRequest.newBuilder(
                uri(ARTIFACTS + "/1/run/artifacts/model/a.txt")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(text.body()).isEqualTo("hello again");
        assertThat(text.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("text/plain"));
    }

    @Test
    void listsARunsArtifactsRelativeToItsRoot() throws Exception {
        String runId = http.newRun("artifacts");
        JsonNode info = http.get("runs/get?run_id=" + runId).json().path("run").path("info");
        String artifactUri = info.path("artifact_uri").asText();
        String experimentId = info.path("experiment_id").asText();
        assertThat(artifactUri).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");
        upload(experimentId + "/" + runId + "/artifacts/model/MLmodel", "flavors: {}");
        upload(experimentId + "/" + runId + "/artifacts/metrics.json", "{}");

        JsonNode root = http.get("artifacts/list?run_id=" + runId).json();
        assertThat(root.path("root_uri").asText()).isEqualTo(artifactUri);
        assertThat(root.path("files").toString()).isEqualTo("[{\"path\":\"metrics.json\",\"is_dir\":false,"
                + "\"file_size\":2},{\"path\":\"model\",\"is_dir\":true}]");
        JsonNode model = http.get("artifacts/list?run_id=" + runId + "&path=model").json();
        assertThat(model.path("files").get(0).path("path").asText()).isEqualTo("model/MLmodel");
        assertThat(http.get("artifacts/list?run_id=" + runId + "&path=empty").json().toString())
                .isEqualTo("{\"root_uri\":\"" + artifactUri + "\"}");
    }

    @Test
    void rejectsUnsafePathsAndReportsMissingFiles() throws Exception {
        String runId = http.newRun("unsafe");
        assertThat(http.get("artifacts/list?run_id=" + runId + "&path=../../etc").errorCode())
                .isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(http.send("GET", ARTIFACTS + "?path=/etc", null).status()).isEqualTo(400);
        assertThat(http.send("GET", ARTIFACTS + "?path=" + ArtifactStore.UPLOADS, null).status()).isEqualTo(400);
        MlflowHttp.Answer missing = http.send("GET", ARTIFACTS + "/0/none.txt", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        assertThat(http.send("DELETE", ARTIFACTS + "/0/none.txt", null).status()).isEqualTo(405);
    }

    @Test
    void keepsAGivenArtifactRootButDeletesItsOwnTemporaryOne() throws Exception {
        upload("kept.txt", "x");
        server.close();
        assertThat(temp.resolve("artifacts/kept.txt")).hasContent("x");
        assertThat(temp.resolve("artifacts").resolve(ArtifactStore.UPLOADS)).doesNotExist();

        MlflowServer own = MlflowServer.builder().start();
        Path root = own.artifactRoot();
        assertThat(root).isDirectory();
        own.close();
        assertThat(root).doesNotExist();
    }

    private void upload(String path, String content) throws IOException, InterruptedException {
        HttpResponse<String> response = http.client().send(HttpRequest.newBuilder(uri(ARTIFACTS + "/" + path))
                .PUT(HttpRequest.BodyPublishers.ofString(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private URI uri(String path) {
        return server.uri().resolve(path);
    }

    private static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1024 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
