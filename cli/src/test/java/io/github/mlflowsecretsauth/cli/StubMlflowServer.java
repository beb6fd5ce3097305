package io.github.mlflowsecretsauth.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal MLflow-shaped endpoint behind an auth check, on the JDK's built-in HTTP server: answers
 * {@code experiments/search} with 200 when the expected header value arrives, else 401. Optionally
 * redirects everything to another URL. For CLI dry-run tests until the testkit MLflow server lands.
 */
final class StubMlflowServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String lastAuthorization;

    StubMlflowServer(String headerName, String expectedValue, String redirectTo) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            lastAuthorization = exchange.getRequestHeaders().getFirst(headerName);
            if (redirectTo != null) {
                exchange.getResponseHeaders().add("Location", redirectTo);
                exchange.sendResponseHeaders(302, -1);
                exchange.close();
                return;
            }
            boolean ok = expectedValue.equals(lastAuthorization)
                    && exchange.getRequestURI().getPath().equals("/api/2.0/mlflow/experiments/search");
            byte[] body = (ok ? "{\"experiments\":[{\"experiment_id\":\"0\",\"name\":\"Default\"}]}"
                    : "{\"error_code\":\"UNAUTHENTICATED\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int requests() {
        return requests.get();
    }

    String lastAuthorization() {
        return lastAuthorization;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
