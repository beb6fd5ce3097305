package io.github.mlflowsecretsauth.mlflow.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.s3.S3Call;
import io.github.mlflowsecretsauth.testkit.s3.S3Server;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;

/**
 * Issue 7 end to end for the {@code s3://} store: runs created by the official MLflow Java client through a real
 * nginx that demands a Bearer token (from the testkit Vault); artifacts logged and downloaded with
 * {@link ArtifactClient} to and from S3 (the testkit's S3Mock behind a SigV4-checking gateway), with the
 * project-scoped {@code MLFLOW_AWS_*} key while the global {@code AWS_*} keys are set too. No Python.
 */
class S3ArtifactsEndToEndTest {
    private static final String TOKEN = "mlflow-api-key-s3-e2e-0123456789";
    private static final String BUCKET = "mlflow-artifacts";
    private static final long MIB = 1024 * 1024;
    private static final AwsPrincipal PROJECT = AwsPrincipal.user("mlflow-project", "AKIAMLFLOWPROJECT001", "CANARYprojectS3Key/Zx9+Qw7");
    private static final AwsPrincipal GLOBAL = AwsPrincipal.user("main-project", "AKIAMAINPROJECT00001", "CANARYglobalS3Key/Mn4+Lp2");

    private static S3Server s3;

    @TempDir
    Path temp;

    private final Engines engines = new Engines();
    private VaultServer vault;
    private MlflowServer mlflow;
    private Nginx nginx;
    private SecretsAuth engine;
    private MlflowClient client;

    @BeforeAll
    static void startS3() {
        Nginx.requireAvailable();
        s3 = S3Server.builder().principal(PROJECT).principal(GLOBAL).bucket(BUCKET).start();
    }

    @AfterAll
    static void stopS3() {
        if (s3 != null) {
            s3.close();
        }
    }

    @BeforeEach
    void start() {
        s3.gateway().reset();
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        mlflow = MlflowServer.builder().start();
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
        s.put("MLFLOW_S3_ENDPOINT_URL", s3.endpoint().toString());
        s.put("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT.accessKeyId());
        s.put("MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT.secretAccessKey());
        s.put("MLFLOW_AWS_DEFAULT_REGION", s3.region());
        s.put("AWS_ACCESS_KEY_ID", GLOBAL.accessKeyId()); // the global keys are set too, and must not be used
        s.put("AWS_SECRET_ACCESS_KEY", GLOBAL.secretAccessKey());
        s.put("AWS_REGION", "eu-west-1");
        s.put("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", Long.toString(5 * MIB));
        s.put("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", Long.toString(5 * MIB));
        s.putAll(extra);
        engine = engines.engine(s);
        client = MlflowSecretsAuth.mlflowClient(engine, nginx.uri().toString());
        return client;
    }

    @Test
    void aRunWhoseArtifactLocationIsS3_logsListsAndDownloads_withTheProjectKey() throws Exception {
        MlflowClient c = client(Map.of());
        String experimentId = c.createExperiment(Service.CreateExperiment.newBuilder().setName("s3-" + System.nanoTime())
                .setArtifactLocation("s3://" + BUCKET + "/experiments/e1").build());
        String runId = c.createRun(experimentId).getRunId();
        Path model = randomFile(temp.resolve("model.bin"), 12 * MIB, 7); // multipart: three 5 MiB parts at most
        Path small = Files.writeString(temp.resolve("params.json"), "{\"lr\": 0.01}");

        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            assertThat(artifacts.artifactUri().toString()).isEqualTo("s3://" + BUCKET + "/experiments/e1/" + runId + "/artifacts");
            artifacts.logArtifact(model, "model");
            artifacts.logArtifact(small);
            assertThat(artifacts.listArtifacts()).extracting(ArtifactInfo::path).containsExactly("model", "params.json");
            assertThat(artifacts.listArtifacts("model")).containsExactly(ArtifactInfo.file("model/model.bin", 12 * MIB));

            Path target = artifacts.downloadArtifacts("model/model.bin", temp.resolve("restored"));
            assertThat(sha256(target)).isEqualTo(sha256(model));
        }

        assertThat(s3.gateway().calls()).isNotEmpty().allSatisfy(call -> {
            assertThat(call.authenticated()).as("signature of %s", call.operation()).isTrue();
            assertThat(call.accessKeyId()).contains(PROJECT.accessKeyId());
        });
        assertThat(s3.gateway().calls()).extracting(S3Call::operation)
                .contains("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "PutObject", "ListObjectsV2", "GetObject");
    }

    @Test
    void mlflowArtifactRoot_overridesTheRunsRoot_withS3() throws Exception {
        MlflowClient c = client(Map.of("MLFLOW_ARTIFACT_ROOT", "s3://" + BUCKET + "/override"));
        String runId = c.createRun(c.createExperiment("s3-root-" + System.nanoTime())).getRunId();
        Path file = Files.writeString(temp.resolve("metrics.csv"), "step,loss\n1,0.5\n");
        try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(c, runId)) {
            assertThat(artifacts.artifactUri().getScheme()).isEqualTo("s3");
            assertThat(artifacts.artifactUri().toString()).startsWith("s3://" + BUCKET + "/override/");
            artifacts.logArtifact(file, "eval");
            Path back = artifacts.downloadArtifacts("eval/metrics.csv", temp.resolve("back"));
            assertThat(Files.readString(back)).isEqualTo("step,loss\n1,0.5\n");
        }
        assertThat(s3.gateway().calls()).isNotEmpty()
                .allSatisfy(call -> assertThat(call.accessKeyId()).contains(PROJECT.accessKeyId()));
        // Nothing went to the tracking server's own artifact store.
        try (var files = Files.walk(mlflow.artifactRoot())) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    private static Path randomFile(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buf.length) {
                for (int i = 0; i < buf.length; i++) {
                    buf[i] = (byte) random.nextInt(256);
                }
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return file;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
