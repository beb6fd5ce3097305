package io.github.mlflowsecretsauth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The launcher's training run for its class-data archive ({@code proxy --cds-training}): a few requests through a
 * just-started proxy, a GET and a POST with a body towards an upstream that does not answer, so that the classes of
 * the request path are loaded and archived. The requests go over a plain socket: an HTTP client would put its own
 * classes, which the proxy never uses, into the archive and so into every proxy's memory. Failures are ignored;
 * the run only has to load classes.
 */
final class ArchiveTraining {
    private ArchiveTraining() {
    }

    static void exercise(URI proxy) {
        for (int i = 0; i < 3; i++) {
            send(proxy, "GET /api/2.0/mlflow/experiments/search?max_results=1 HTTP/1.1", "");
            send(proxy, "POST /api/2.0/mlflow/runs/log-metric HTTP/1.1", "{\"key\":\"k\",\"value\":1}");
        }
        send(proxy, "GET /__mlflow-secrets-auth/health HTTP/1.1", "");
    }

    private static void send(URI proxy, String requestLine, String body) {
        try (Socket socket = new Socket(proxy.getHost(), proxy.getPort())) {
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            String head = requestLine + "\r\nHost: " + proxy.getHost() + ":" + proxy.getPort() + "\r\nConnection: close\r\n"
                    + (content.length > 0 ? "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n" : "")
                    + "\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // training only: a refused or timed-out request has loaded its classes all the same
        }
    }
}
