package io.github.mlflowsecretsauth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.MultipartStats;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 2 GiB artifact round trip with the packaged CLI jar run as {@code java -Xmx256m -jar}: {@code artifacts upload}
 * (MLflow multipart upload: parts straight to the part URLs, create/complete through nginx with the Bearer token) and
 * {@code artifacts download} (streamed through the embedded proxy and nginx), then the SHA-256 of both files compared.
 */
class ArtifactsRoundTripIT {
    private static final String TOKEN = "roundtrip-bearer-token-0123456789";
    private static final long SIZE = 2L << 30;

    @Test
    void twoGibRoundTrip_withA256MiBHeap_keepsItsSha256(@TempDir Path dir) throws Exception {
        Nginx.requireAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
        Path source = dir.resolve("weights.bin");
        Path dest = dir.resolve("down");
        try (VaultServer vault = VaultServer.builder().start();
             MlflowServer mlflow = MlflowServer.builder().start();
             Nginx nginx = Nginx.builder().upstream(mlflow.uri()).bearerTokens(TOKEN).start()) {
            vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
            String runId = newRun(mlflow.uri());
            long t0 = System.nanoTime();
            String sent = writePseudoRandom(source, SIZE);
            long t1 = System.nanoTime();
            Map<String, String> env = Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.address().toString(),
                    "VAULT_TOKEN", vault.rootToken(), "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth",
                    "MLFLOW_TRACKING_URI", nginx.uri().toString(), "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1",
                    "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", Long.toString(64L << 20));

            String up = run(dir, env, "artifacts", "upload", runId, source.toString(), "--artifact-path", "model");
            long t2 = System.nanoTime();
            assertThat(up).contains("✅ Uploaded 1 file(s), 2.0 GiB");
            assertThat(mlflow.multipartStats()).isEqualTo(new MultipartStats(true, 1, 32, 1, 0, 0, 0));

            String down = run(dir, env, "artifacts", "download", runId, "model/weights.bin", "--dest", dest.toString());
            long t3 = System.nanoTime();
            assertThat(down).contains("✅ Downloaded 1 file(s), 2.0 GiB");
            Path received = dest.resolve("model/weights.bin");
            assertThat(Files.size(received)).isEqualTo(SIZE);
            assertThat(sha256(received)).isEqualTo(sent);
            long t4 = System.nanoTime();
            System.out.printf("2 GiB round trip: generate %.1f s, upload %.1f s, download %.1f s, verify %.1f s%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
            try (DirectoryStream<Path> left = Files.newDirectoryStream(received.getParent(), ".*")) {
                assertThat(left).isEmpty(); // no temporary file left behind
            }
            Files.deleteIfExists(mlflow.artifactRoot().resolve("1/" + runId + "/artifacts/model/weights.bin"));
        } finally {
            Files.deleteIfExists(source);
            Files.deleteIfExists(dest.resolve("model/weights.bin"));
        }
    }

    private static String run(Path dir, Map<String, String> env, String... args) throws Exception {
        Path jar;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of("target").toAbsolutePath(), "mlflow-secrets-auth-cli-*-all.jar")) {
            jar = jars.iterator().next();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_") || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String newRun(URI mlflow) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        String experiment = json.readTree(post(http, mlflow, "experiments/create", "{\"name\": \"roundtrip\"}")).path("experiment_id").asText();
        return json.readTree(post(http, mlflow, "runs/create", "{\"experiment_id\": \"" + experiment + "\"}"))
                .path("run").path("info").path("run_id").asText();
    }

    private static String post(HttpClient http, URI mlflow, String endpoint, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mlflow + "/api/2.0/mlflow/" + endpoint))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Fast deterministic pseudo-random bytes (incompressible), hashed as they are written. */
    private static String writePseudoRandom(Path file, long size) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(20261123L);
        byte[] block = new byte[1 << 20];
        java.nio.LongBuffer longs = java.nio.ByteBuffer.wrap(block).asLongBuffer();
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                longs.clear();
                while (longs.hasRemaining()) {
                    longs.put(random.nextLong());
                }
                int n = (int) Math.min(block.length, left);
                digest.update(block, 0, n);
                out.write(block, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
