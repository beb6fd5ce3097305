package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RequestGate;
import org.eclipse.jetty.server.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory is bounded in total: the CLI's {@code proxy} in its own JVM at {@code -Xmx64m -XX:+ExitOnOutOfMemoryError},
 * Vault as its provider, takes 150 concurrent 1 MiB POSTs (a wave; three waves in the full form) to a testkit MLflow
 * server that holds each for 3 s ({@link SlowUpstream}). The bodies buffered for a replay share one budget, so every POST is answered,
 * the health endpoint answers throughout (probed every 100 ms; slowest recorded), and the proxy never runs out of
 * memory. Before the replay budget followed the heap (an eighth of it), the second wave, on kept-alive connections,
 * killed the proxy with {@code OutOfMemoryError}.
 */
class ProxyMemoryTest {
    private static final int CLIENTS = 150;
    private static final int BODY = 1 << 20;
    private final ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
    private VaultServer vault;
    private MlflowServer mlflow;
    private Process proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.destroy();
            proxy.waitFor(30, TimeUnit.SECONDS);
            proxy.destroyForcibly();
        }
        if (mlflow != null) {
            mlflow.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    /**
     * The MLflow server as a slow one: every request is held 3 s (the server's latency, not a wait of the test) and answered
     * 200 {@code {"bytes":N}}, counting those that carried the credential; the testkit records the call without its body,
     * which is not JSON, so the test JVM holds no copy of the megabytes.
     */
    private static final class SlowUpstream implements RequestGate {
        final AtomicInteger withCredential = new AtomicInteger();

        @Override
        public Optional<Rejection> check(Request request, byte[] body) {
            if (("Bearer " + Canary.token(0)).equals(request.getHeaders().get("Authorization"))) {
                withCredential.incrementAndGet();
            }
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(new Rejection(200, "{\"bytes\":" + (body == null ? -1 : body.length) + "}"));
        }
    }

    private URI startProxy(Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-Dreliability.dir=" + Results.dir().toAbsolutePath(),
                "-Dlogback.configurationFile=" + Path.of("target", "test-classes", "logback-test.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "io.github.mlflowsecretsauth.cli.Main", "proxy",
                "--listen", "127.0.0.1:" + port).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
        pb.environment().putAll(Stack.vaultSettings(vault.address(), vault.rootToken()));
        pb.environment().put("MLFLOW_TRACKING_URI", mlflow.uri().toString());
        proxy = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        String listening = "listening on http://127.0.0.1:" + port;
        for (String line; (line = out.readLine()) != null; ) {
            output.add(line);
            if (line.contains(listening)) {
                break;
            }
        }
        assertThat(output).as("the proxy started").anyMatch(l -> l.contains(listening));
        Thread drain = new Thread(() -> out.lines().forEach(output::add), "proxy-output");
        drain.setDaemon(true);
        drain.start();
        return URI.create("http://127.0.0.1:" + port);
    }

    @Test
    void waveOfMegabytePosts_atA64MiBHeap_allAnswered_healthQuick_noOutOfMemory(@TempDir Path dir) throws Exception {
        int waves = Scale.current().name().equals("full") ? 3 : 1;
        vault = VaultServer.builder().start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        SlowUpstream upstream = new SlowUpstream();
        mlflow = MlflowServer.builder().gate(upstream).start();
        URI base = startProxy(dir);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpClient prober = HttpClient.newHttpClient(); // a separate prober, as a kubelet would be
        URI health = base.resolve("/__mlflow-secrets-auth/health");
        byte[] body = "x".repeat(BODY).getBytes(StandardCharsets.US_ASCII);
        // A running proxy, as in production: its classes loaded and the credential cached (the first call fetches it).
        assertThat(prober.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(200);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/api/2.0/mlflow/runs/log-batch"))
                .POST(HttpRequest.BodyPublishers.ofString("warm")).build(), HttpResponse.BodyHandlers.ofString()).body())
                .isEqualTo("{\"bytes\":4}");
        int answered = 0;
        int healthChecks = 0;
        long slowestHealthMs = 0;
        for (int w = 0; w < waves; w++) {
            List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                posts.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/2.0/mlflow/runs/log-batch"))
                        .header("Content-Type", "application/octet-stream")
                        .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new));
            while (!all.isDone() && healthChecks < 2_000) {
                long started = System.nanoTime();
                int status;
                try {
                    status = prober.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (java.io.IOException e) {
                    throw new AssertionError("health check " + healthChecks + " of wave " + w + " failed (" + e + "); proxy alive: "
                            + proxy.isAlive() + "; its output:\n" + String.join("\n", output), e);
                }
                long took = (System.nanoTime() - started) / 1_000_000;
                if (took > 300) {
                    System.out.printf("ProxyMemoryTest: wave %d, health check %d took %d ms%n", w, healthChecks, took);
                }
                slowestHealthMs = Math.max(slowestHealthMs, took);
                assertThat(status).as("health during the load").isEqualTo(200);
                healthChecks++;
                Thread.sleep(100); // the probe's spacing, not a wait for a result
            }
            for (CompletableFuture<HttpResponse<String>> p : posts) {
                HttpResponse<String> r = p.get(120, TimeUnit.SECONDS);
                answered += r.statusCode() == 200 && r.body().equals("{\"bytes\":" + BODY + "}") ? 1 : 0;
            }
        }
        long withCredential = upstream.withCredential.get();
        boolean oom = output.stream().anyMatch(l -> l.contains("OutOfMemoryError"));
        Results.of("proxy-memory").put("heap", "64m").put("waves", waves).put("concurrentPosts", CLIENTS).put("bodyBytes", BODY)
                .put("answered200", answered).put("upstreamCallsWithCredential", withCredential).put("healthChecks", healthChecks)
                .put("slowestHealthMs", slowestHealthMs).put("outOfMemory", oom).put("proxyAlive", proxy.isAlive()).record();
        assertThat(answered).isEqualTo(waves * CLIENTS);
        assertThat(withCredential).isEqualTo((long) waves * CLIENTS + 1);
        // The figure is "within a second" (ProxyMemoryIT, the packaged launcher); here the test JVM shares the two
        // cores with the proxy, the upstream and other builds (load average 20 seen), so the bound is looser.
        assertThat(slowestHealthMs).isLessThan(3_000);
        assertThat(healthChecks).isPositive();
        assertThat(oom).as(String.join("\n", output)).isFalse();
        assertThat(proxy.isAlive()).as(String.join("\n", output)).isTrue();
    }
}
