package io.github.mlflowsecretsauth.testkit.nginx;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny upstream on 127.0.0.1:0 built on the JDK's HttpServer. {@code /upload} counts and
 * digests the body as it arrives; {@code /download?bytes=N} streams {@link TestData} bytes; any
 * other path echoes the method, path and a few headers. Every request is recorded.
 */
final class EchoUpstream implements AutoCloseable {

    /** What the upstream saw of one request. */
    record Seen(String method, String path, String host, String authorization, String forwardedFor,
            String forwardedProto, String forwardedHost, String apiKey, int remotePort, String clientSubject) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final AtomicLong uploadBytes = new AtomicLong();

    EchoUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Seen> requests() {
        return requests;
    }

    /** Body bytes /upload has read so far, across requests. */
    long uploadBytes() {
        return uploadBytes.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var h = exchange.getRequestHeaders();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            requests.add(new Seen(exchange.getRequestMethod(), path, h.getFirst("Host"),
                    h.getFirst("Authorization"), h.getFirst("X-Forwarded-For"), h.getFirst("X-Forwarded-Proto"),
                    h.getFirst("X-Forwarded-Host"), h.getFirst("X-Api-Key"),
                    exchange.getRemoteAddress().getPort(), h.getFirst(Nginx.clientSubjectHeader())));
            if (path.equals("/upload")) {
                MessageDigest sha = sha256();
                byte[] buffer = new byte[64 * 1024];
                long total = 0;
                try (InputStream in = exchange.getRequestBody()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        sha.update(buffer, 0, n);
                        total += n;
                        uploadBytes.addAndGet(n);
                    }
                }
                send(exchange, 200, total + " " + HexFormat.of().formatHex(sha.digest()));
            } else if (path.equals("/download")) {
                long bytes = Long.parseLong(query.substring("bytes=".length()));
                exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
                exchange.sendResponseHeaders(200, bytes);
                try (OutputStream out = exchange.getResponseBody(); InputStream data = TestData.stream(bytes)) {
                    data.transferTo(out);
                }
            } else {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                send(exchange, 200, exchange.getRequestMethod() + " " + path);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "EchoUpstream" + uri() + requests.stream().map(s -> s.method() + " " + s.path())
                .map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }
}
