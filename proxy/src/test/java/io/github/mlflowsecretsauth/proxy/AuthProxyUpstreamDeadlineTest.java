package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An upstream that accepts and reads but never answers costs a client the upstream timeout once, in total,
 * whatever the retries; a slow upload does not use that time up. Real sockets; the waits are the deadlines'.
 */
class AuthProxyUpstreamDeadlineTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket silent;
    private SecretsAuth auth;
    private AuthProxy proxy;
    private TestUpstream normal;

    /** Accepts every connection, reads what arrives, never writes a byte. */
    private URI silentUpstream() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    Socket s = silent.accept();
                    connections.incrementAndGet();
                    held.add(s);
                    Thread reader = new Thread(() -> drain(s));
                    reader.setDaemon(true);
                    reader.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return URI.create("http://127.0.0.1:" + silent.getLocalPort());
    }

    private static void drain(Socket s) {
        try (InputStream in = s.getInputStream()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the proxy gave up and closed it
        }
    }

    private SecretsAuth engine(Map<String, String> extra) {
        Map<String, String> s = new java.util.HashMap<>(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env",
                "MLFLOW_TRACKING_TOKEN", "deadline-test-token", "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
        s.putAll(extra);
        return SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build();
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (auth != null) {
            auth.close();
        }
        if (normal != null) {
            normal.close();
        }
        if (silent != null) {
            silent.close();
        }
        for (Socket s : held) {
            s.close();
        }
    }

    @Test
    void anUpstreamThatNeverAnswers_costsTheTimeoutOnce_notOncePerRetry() throws Exception {
        URI up = silentUpstream();
        auth = engine(Map.of("MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC", "2"));
        proxy = AuthProxy.builder(auth, up).start();
        long started = System.nanoTime();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/experiments/search"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("UPSTREAM_TIMEOUT").contains("sent no response within 2 s")
                .contains("MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC").doesNotContain("deadline-test-token");
        assertThat(tookMillis).as("one 2 s timeout, not three (6 s): slack for a loaded 2-core machine").isBetween(1_900L, 5_000L);
        assertThat(connections.get()).as("no retry was started after the deadline").isEqualTo(1);
    }

    @Test
    void aPostToASilentUpstream_isAnsweredAtTheDeadlineToo() throws Exception {
        URI up = silentUpstream();
        auth = engine(Map.of());
        proxy = AuthProxy.builder(auth, up).upstreamTimeout(Duration.ofSeconds(1)).start();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/runs/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"experiment_id\":\"0\"}")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("UPSTREAM_TIMEOUT");
    }

    @Test
    void aSlowUpload_longerThanTheTimeout_stillGoesThrough() throws Exception {
        normal = new TestUpstream("Bearer deadline-test-token");
        auth = engine(Map.of());
        proxy = AuthProxy.builder(auth, normal.uri()).upstreamTimeout(Duration.ofSeconds(1)).maxReplayBytes(0).start();
        int chunks = 15;
        HttpRequest.BodyPublisher trickle = HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
            private int left = chunks;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left-- == 0) {
                    return -1;
                }
                pause(); // a slow client: 15 × 100 ms, longer than the 1 s upstream timeout
                int n = Math.min(len, 16 * 1024);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                return n;
            }
        });
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/upload")).POST(trickle)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(normal.seen().get(0).bodyBytes()).isPositive();
    }

    @Test
    void badSettings_areOneLineNamingTheVariable() {
        assertThatThrownBy(() -> AuthProxy.builder(engine(Map.of("MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC", "0")),
                URI.create("http://127.0.0.1:1")).start()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC must be a positive");
        assertThatThrownBy(() -> AuthProxy.builder(engine(Map.of("MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC", "9999")),
                URI.create("http://127.0.0.1:1")).start()).isInstanceOf(ConfigurationException.class)
                .hasMessage("MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC must be at most 3600 seconds");
        assertThatThrownBy(() -> AuthProxy.builder(engine(Map.of("MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB", "lots")),
                URI.create("http://127.0.0.1:1")).start()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB");
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
