package io.github.mlflowsecretsauth.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A programmable upstream on the JDK's HTTP server: accepts only the listed credential values, can
 * answer a queue of canned responses first (429, 302...), and records what it received (method,
 * path, query, headers, body size and SHA-256). Bodies are streamed, never held in memory.
 */
final class TestUpstream implements AutoCloseable {
    record Seen(String method, String path, String query, Map<String, List<String>> headers, long bodyBytes, String bodySha256) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    record Canned(int status, String body, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Canned> canned = new ConcurrentLinkedQueue<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile List<String> acceptedCredentials;
    private volatile String credentialHeader = "Authorization";
    private volatile long responseDelayMillis;
    private volatile long downloadBytes;

    TestUpstream(String... acceptedCredentials) throws IOException {
        this.acceptedCredentials = List.of(acceptedCredentials);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", this::handle);
        server.start();
    }

    void accept(String... credentials) {
        acceptedCredentials = List.of(credentials);
    }

    void credentialHeader(String name) {
        credentialHeader = name;
    }

    void enqueue(int status, String body, Map<String, String> headers) {
        canned.add(new Canned(status, body, headers));
    }

    void delay(long millis) {
        responseDelayMillis = millis;
    }

    /** Answer GET /download with this many bytes. */
    void download(long bytes) {
        downloadBytes = bytes;
    }

    private void handle(HttpExchange ex) throws IOException {
        long size = 0;
        String sha;
        try (InputStream in = ex.getRequestBody()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
                size += n;
            }
            sha = HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                Map.copyOf(ex.getRequestHeaders()), size, sha));
        if (responseDelayMillis > 0) {
            try {
                Thread.sleep(responseDelayMillis); // simulates a slow server, not a test waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Canned c = canned.poll();
        if (c != null) {
            c.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            respond(ex, c.status(), c.body());
            return;
        }
        String credential = ex.getRequestHeaders().getFirst(credentialHeader);
        if (credential == null || !acceptedCredentials.contains(credential)) {
            respond(ex, 401, "<html><body>401 Authorization Required</body></html>");
            return;
        }
        accepted.incrementAndGet();
        if (ex.getRequestURI().getPath().equals("/download") && downloadBytes > 0) {
            ex.sendResponseHeaders(200, downloadBytes);
            try (OutputStream os = ex.getResponseBody()) {
                byte[] chunk = new byte[64 * 1024];
                for (long left = downloadBytes; left > 0; left -= chunk.length) {
                    os.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
            }
            return;
        }
        respond(ex, 200, "{\"ok\":true,\"bytes\":" + size + ",\"sha256\":\"" + sha + "\"}");
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Seen> seen() {
        return seen;
    }

    int accepted() {
        return accepted.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
