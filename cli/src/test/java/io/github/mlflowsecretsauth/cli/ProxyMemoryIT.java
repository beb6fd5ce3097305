package io.github.mlflowsecretsauth.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged proxy with a 64 MiB heap, 150 concurrent 1 MiB POSTs and an upstream that takes 3 s to answer
 * each: the bodies buffered for a replay share one budget, so the heap holds, and the health endpoint answers
 * within a second throughout (issue 14.6).
 */
class ProxyMemoryIT {
    private static final int CLIENTS = 150;
    private static final int BODY = 1 << 20;
    private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    private HttpServer slow;
    private Process proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.destroy();
            proxy.waitFor(30, TimeUnit.SECONDS);
            proxy.destroyForcibly();
        }
        if (slow != null) {
            slow.stop(0);
        }
    }

    private URI slowUpstream() throws IOException {
        slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        slow.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slow-upstream");
            t.setDaemon(true);
            return t;
        }));
        slow.createContext("/", ex -> {
            long n;
            try (InputStream in = ex.getRequestBody()) {
                n = in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            try {
                Thread.sleep(3_000); // a slow MLflow server, not a test waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = ("{\"bytes\":" + n + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        slow.start();
        return URI.create("http://127.0.0.1:" + slow.getAddress().getPort());
    }

    @Test
    void concurrentMegabytePosts_atA64MiBHeap_neverExhaustIt_andHealthStaysQuick(@TempDir Path dir) throws Exception {
        URI upstream = slowUpstream();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path launcher = Path.of("..", "bin", "mlflow-secrets-auth").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "proxy", "--listen", "127.0.0.1:" + port)
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
        pb.environment().putAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_TOKEN", "memory-test-token",
                "MLFLOW_TRACKING_URI", upstream.toString(), "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1",
                "MLFLOW_SECRETS_AUTH_JAVA_OPTS", "-Xmx64m -XX:+ExitOnOutOfMemoryError"));
        proxy = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).contains("listening on http://127.0.0.1:" + port);
        Thread drain = new Thread(() -> out.lines().forEach(output::add));
        drain.setDaemon(true);
        drain.start();

        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient prober = HttpClient.newHttpClient(); // a separate prober, as a kubelet would be
        assertThat(prober.send(HttpRequest.newBuilder(base.resolve("/__mlflow-secrets-auth/health")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).as("before the load").isEqualTo(200);
        byte[] body = new byte[BODY];
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            posts.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/2.0/mlflow/runs/log-batch"))
                    .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long slowestHealthMillis = 0;
        AtomicInteger healthChecks = new AtomicInteger();
        while (!CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).isDone() && healthChecks.get() < 200) {
            long started = System.nanoTime();
            HttpResponse<String> health;
            try {
                health = prober.send(HttpRequest.newBuilder(base.resolve("/__mlflow-secrets-auth/health"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("health check failed (" + e + "); proxy alive: " + proxy.isAlive()
                        + "; its output:\n" + String.join("\n", output), e);
            }
            long took = (System.nanoTime() - started) / 1_000_000;
            slowestHealthMillis = Math.max(slowestHealthMillis, took);
            if (took > 300) {
                System.out.printf("ProxyMemoryIT: health check %d took %d ms%n", healthChecks.get(), took);
            }
            assertThat(health.statusCode()).isEqualTo(200);
            healthChecks.incrementAndGet();
            Thread.sleep(100); // spacing of the probe, not waiting for a result
        }
        int ok = 0;
        for (CompletableFuture<HttpResponse<String>> p : posts) {
            HttpResponse<String> r = p.get(120, TimeUnit.SECONDS);
            if (r.statusCode() == 200 && r.body().equals("{\"bytes\":" + BODY + "}")) {
                ok++;
            }
        }
        System.out.printf("ProxyMemoryIT: %d/%d POSTs of 1 MiB answered 200 at -Xmx64m; %d health checks, slowest %d ms%n",
                ok, CLIENTS, healthChecks.get(), slowestHealthMillis);
        assertThat(ok).isEqualTo(CLIENTS);
        assertThat(slowestHealthMillis).isLessThan(1_000);
        assertThat(healthChecks.get()).isPositive();
        assertThat(proxy.isAlive()).as(String.join("\n", output)).isTrue();
        assertThat(output).noneMatch(l -> l.contains("OutOfMemoryError"));
    }
}
