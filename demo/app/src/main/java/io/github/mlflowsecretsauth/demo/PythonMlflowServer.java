package io.github.mlflowsecretsauth.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Python's own MLflow tracking server ({@code python3 -m mlflow server}), as the seed's demo runs it: a SQLite
 * backend and served artifacts under a data directory, on 127.0.0.1. Started only when a Python {@code mlflow} is
 * installed. {@link #close()} stops it and its workers (gunicorn or uvicorn children).
 */
final class PythonMlflowServer implements Tracking {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String python;
    private final Process process;
    private final URI uri;

    private PythonMlflowServer(String python, Process process, URI uri) {
        this.python = python;
        this.process = process;
        this.uri = uri;
    }

    static PythonMlflowServer start(String python, Path dataDir) {
        Path dir = dataDir.toAbsolutePath();
        Path log = dir.resolve("mlflow-server.log");
        Process process;
        int port = freePort();
        try {
            Files.createDirectories(dir.resolve("artifacts"));
            List<String> cmd = List.of(python, "-m", "mlflow", "server",
                    "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db"),
                    "--artifacts-destination", dir.resolve("artifacts").toString(),
                    "--host", "127.0.0.1", "--port", String.valueOf(port), "--workers", "1");
            // Run from the data directory: the repository's mlflow/ folder would shadow the Python package.
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_"));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + python + " -m mlflow server", e);
        }
        PythonMlflowServer server = new PythonMlflowServer(python, process, URI.create("http://127.0.0.1:" + port));
        try {
            server.awaitHealthy(log);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void awaitHealthy(Path log) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Python mlflow server exited with code " + process.exitValue()
                        + ": " + lastLine(log) + " (log: " + log + ")");
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri.resolve("/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Python mlflow server", e);
            }
            pause();
        }
        throw new IllegalStateException("the Python mlflow server did not answer /health within "
                + START_TIMEOUT.toSeconds() + " s (log: " + log + ")");
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public String describe() {
        return "MLflow  " + uri + "  (Python's mlflow server, " + python + "; not reachable by clients directly in this story)";
    }

    @Override
    public Optional<String> python() {
        return Optional.of(python);
    }

    @Override
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            pause();
        }
        all.forEach(ProcessHandle::destroyForcibly);
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "no log";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
