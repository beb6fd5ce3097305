package io.github.mlflowsecretsauth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code artifacts upload|download|list}, in-process, against the testkit MLflow server behind nginx (Bearer). */
class ArtifactsCommandTest {
    private static final String TOKEN = "cli-artifacts-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private VaultServer vault;
    private MlflowServer mlflow;
    private Nginx nginx;
    private String runId;

    @BeforeAll
    static void nginxPresent() {
        Nginx.requireAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void start() throws Exception {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        mlflow = MlflowServer.builder().start();
        nginx = Nginx.builder().upstream(mlflow.uri()).bearerTokens(TOKEN).start();
        HttpClient http = HttpClient.newHttpClient();
        String experiment = JSON.readTree(post(http, "experiments/create", "{\"name\": \"cli\"}")).path("experiment_id").asText();
        runId = JSON.readTree(post(http, "runs/create", "{\"experiment_id\": \"" + experiment + "\"}"))
                .path("run").path("info").path("run_id").asText();
    }

    private String post(HttpClient http, String endpoint, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mlflow.uri() + "/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @AfterEach
    void stop() {
        nginx.close();
        mlflow.close();
        vault.close();
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        e.put("VAULT_ADDR", vault.address().toString());
        e.put("VAULT_TOKEN", vault.rootToken());
        e.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        e.put("MLFLOW_TRACKING_URI", nginx.uri().toString());
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return e;
    }

    private CliRunner.Result cli(String... args) {
        return CliRunner.run(env(), dir, args);
    }

    @Test
    void uploadListDownload_withPlainLinesWhenNotATerminal() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello artifacts");
        Path tree = dir.resolve("model");
        Files.createDirectories(tree.resolve("data"));
        Files.writeString(tree.resolve("MLmodel"), "flavors: {}");
        Files.write(tree.resolve("data/weights.bin"), new byte[4096]);

        CliRunner.Result one = cli("artifacts", "upload", runId, file.toString());
        assertThat(one.exit()).as(one.all()).isZero();
        assertThat(one.out()).isEqualTo("uploaded notes.txt (15 B)\n✅ Uploaded 1 file(s), 15 B, to mlflow-artifacts:/1/"
                + runId + "/artifacts\n");
        assertThat(one.err()).isEmpty();
        CliRunner.Result tree1 = cli("artifacts", "upload", runId, tree.toString(), "--artifact-path", "models/v1");
        assertThat(tree1.exit()).as(tree1.all()).isZero();
        assertThat(tree1.out()).contains("uploaded models/v1/MLmodel (11 B)\n", "uploaded models/v1/data/weights.bin (4.0 KiB)\n",
                "✅ Uploaded 2 file(s)");

        CliRunner.Result list = cli("artifacts", "list", runId, "models/v1");
        assertThat(list.exit()).as(list.all()).isZero();
        assertThat(list.out()).isEqualTo("mlflow-artifacts:/1/" + runId + "/artifacts/models/v1:\n"
                + "        11 B  models/v1/MLmodel\n"
                + "         dir  models/v1/data/\n");
        CliRunner.Result json = cli("artifacts", "list", runId, "--json");
        JsonNode node = JSON.readTree(json.out());
        assertThat(node.path("run_id").asText()).isEqualTo(runId);
        assertThat(node.path("files").toString()).isEqualTo("[{\"path\":\"models\",\"is_dir\":true},"
                + "{\"path\":\"notes.txt\",\"is_dir\":false,\"file_size\":15}]");

        Path dest = dir.resolve("out");
        CliRunner.Result down = cli("artifacts", "download", runId, "models", "--dest", dest.toString());
        assertThat(down.exit()).as(down.all()).isZero();
        assertThat(down.out()).contains("downloaded models/v1/data/weights.bin (4.0 KiB)\n")
                .endsWith("✅ Downloaded 2 file(s), 4.0 KiB, to " + dest.resolve("models").toAbsolutePath().normalize() + "\n");
        assertThat(dest.resolve("models/v1/MLmodel")).hasContent("flavors: {}");
        assertThat(dest.resolve("models/v1/data/weights.bin")).hasSize(4096);
    }

    @Test
    void progressBar_redrawsOnStderr_andKeepsStdoutForResults() throws Exception {
        Path file = Files.write(dir.resolve("blob.bin"), new byte[300_000]);
        CliRunner.Result r = cli("artifacts", "upload", runId, file.toString(), "--progress", "bar");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.err()).contains("\r\033[2Kblob.bin [####", "100% 293.0 KiB/293.0 KiB");
        assertThat(r.out()).startsWith("uploaded blob.bin (293.0 KiB)\n");
    }

    @Test
    void failures_areOneLineErrorsWithANonZeroExit() throws Exception {
        CliRunner.Result unknownRun = cli("artifacts", "list", "0123456789abcdef");
        assertThat(unknownRun.exit()).isEqualTo(1);
        assertThat(unknownRun.err()).isEqualTo("mlflow-secrets-auth: error: run '0123456789abcdef' not found on the MLflow server\n");

        CliRunner.Result missing = cli("artifacts", "upload", runId, dir.resolve("nope.txt").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("mlflow-secrets-auth: error: no such file or directory: " + dir.resolve("nope.txt") + "\n");

        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        CliRunner.Result badPath = cli("artifacts", "upload", runId, file.toString(), "--artifact-path", "../up");
        assertThat(badPath.exit()).isEqualTo(1);
        assertThat(badPath.err()).isEqualTo("mlflow-secrets-auth: error: invalid artifact path '../up': '..', '.' and empty "
                + "segments are not allowed\n");

        CliRunner.Result missingArtifact = cli("artifacts", "download", runId, "absent.bin", "--dest", dir.resolve("o").toString());
        assertThat(missingArtifact.exit()).isEqualTo(1);
        assertThat(missingArtifact.err()).startsWith("mlflow-secrets-auth: error: downloading 'absent.bin' from mlflow-artifacts:/")
                .contains("HTTP 404").hasLineCount(1);

        vault.putSecret("secret/mlflow/auth", Map.of("token", "wrong-token-0000000000000000000"));
        CliRunner.Result denied = cli("artifacts", "list", runId);
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).startsWith("mlflow-secrets-auth: error: MLflow authentication error (HTTP 401)")
                .hasLineCount(1).doesNotContain("wrong-token").doesNotContain("Exception");
    }

    @Test
    void withoutATrackingUri_theErrorNamesTheVariable() {
        Map<String, String> e = env();
        e.remove("MLFLOW_TRACKING_URI");
        CliRunner.Result r = CliRunner.run(e, dir, "artifacts", "list", runId);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("MLFLOW_TRACKING_URI").hasLineCount(1);
    }
}
