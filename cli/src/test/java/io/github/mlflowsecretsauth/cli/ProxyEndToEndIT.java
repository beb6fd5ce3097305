package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged CLI as a user runs it, in front of a real nginx (Bearer) and the testkit MLflow server:
 * a plain HTTP client logs through `proxy`, a child process logs through `exec`, and a 1 GiB artifact
 * goes up and down through a proxy whose heap is capped at 64 MiB.
 */
class ProxyEndToEndIT {
    private static final String TOKEN = "e2e-bearer-token-0123456789abcdef";
    private static VaultServer vault;
    private static MlflowServer mlflow;
    private static Nginx nginx;

    @BeforeAll
    static void start() {
        Nginx.requireAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", TOKEN));
        mlflow = MlflowServer.builder().start();
        nginx = Nginx.builder().upstream(mlflow.uri()).bearerTokens(TOKEN).start();
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.close();
        }
        if (mlflow != null) {
            mlflow.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    private static ProcessBuilder launcher(Path dir, String... args) {
        Path launcher = Path.of("..", "bin", "mlflow-secrets-auth").toAbsolutePath().normalize();
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
        pb.environment().putAll(Map.of("MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth", "MLFLOW_SECRETS_AUTH_ENABLE", "vault",
                "VAULT_ADDR", vault.address().toString(), "VAULT_TOKEN", vault.rootToken(),
                "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth", "MLFLOW_TRACKING_URI", nginx.uri().toString(),
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
        return pb;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void plainHttpClient_logsThroughTheProxy_andHugeArtifactsStreamWithA64MiBHeap(@TempDir Path dir) throws Exception {
        int port = freePort();
        ProcessBuilder pb = launcher(dir, "proxy", "--listen", "127.0.0.1:" + port).redirectErrorStream(true);
        pb.environment().put("MLFLOW_SECRETS_AUTH_JAVA_OPTS", "-Xmx64m");
        Process proxy = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).contains("listening on http://127.0.0.1:" + port);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();
            URI base = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/2.0/mlflow/experiments/create"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"via-proxy\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            assertThat(mlflow.experimentByName("via-proxy")).isPresent();

            long size = 1L << 30;
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(base.resolve("/api/2.0/mlflow-artifacts/artifacts/big/one-gib.bin"))
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                            () -> new PatternStream(size, sent)), size)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            assertThat(Files.size(mlflow.artifactRoot().resolve("big/one-gib.bin"))).isEqualTo(size);

            HttpResponse<InputStream> get = http.send(HttpRequest.newBuilder(base.resolve("/api/2.0/mlflow-artifacts/artifacts/big/one-gib.bin"))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long n = 0;
            try (InputStream in = get.body()) {
                byte[] buf = new byte[1 << 16];
                for (int k; (k = in.read(buf)) > 0; ) {
                    received.update(buf, 0, k);
                    n += k;
                }
            }
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(n).isEqualTo(size);
            assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
            assertThat(proxy.isAlive()).isTrue();
        } finally {
            proxy.destroy();
            proxy.waitFor(30, TimeUnit.SECONDS);
            proxy.destroyForcibly();
            Files.deleteIfExists(mlflow.artifactRoot().resolve("big/one-gib.bin"));
        }
    }

    @Test
    void exec_childLogsAnExperimentThroughNginx(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Train.java"), """
                import java.net.URI;
                import java.net.http.*;
                public class Train {
                    public static void main(String[] a) throws Exception {
                        var http = HttpClient.newHttpClient();
                        var r = http.send(HttpRequest.newBuilder(URI.create(System.getenv("MLFLOW_TRACKING_URI")
                                + "/api/2.0/mlflow/experiments/create")).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + System.getenv("MLFLOW_TRACKING_TOKEN"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\\"name\\":\\"via-exec\\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        System.out.println("status " + r.statusCode());
                        System.exit(r.statusCode() == 200 ? 0 : 4);
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = launcher(dir, "exec", "--", java, "Train.java").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("status 200").doesNotContain(TOKEN);
        assertThat(mlflow.experimentByName("via-exec")).isPresent();
    }

    /** A repeatable pseudo-random stream of {@code size} bytes, hashed as it is read. */
    static final class PatternStream extends InputStream {
        private final byte[] block = new byte[1 << 20];
        private final MessageDigest digest;
        private long left;
        private int pos;

        PatternStream(long size, MessageDigest digest) {
            new Random(7).nextBytes(block);
            this.left = size;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(Math.min(len, left), block.length - pos);
            System.arraycopy(block, pos, b, off, n);
            digest.update(b, off, n);
            pos = (pos + n) % block.length;
            left -= n;
            return n;
        }
    }
}
