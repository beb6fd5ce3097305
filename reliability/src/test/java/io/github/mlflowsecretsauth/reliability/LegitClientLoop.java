package io.github.mlflowsecretsauth.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A well-behaved client calling the proxy in a loop while hostile clients run; every call must
 * succeed. Thread-safe; {@link #close()} stops it and waits for the loop to end.
 */
final class LegitClientLoop implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    final LongAdder ok = new LongAdder();
    final LongAdder failed = new LongAdder();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    LegitClientLoop(URI proxy) {
        URI target = proxy.resolve("/api/2.0/mlflow/experiments/search?max_results=1");
        thread = new Thread(() -> {
            while (running.get()) {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(1)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        ok.increment();
                    } else {
                        fail("HTTP " + r.statusCode());
                    }
                } catch (Exception e) {
                    fail(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }, "legit-client");
        thread.setDaemon(true);
        thread.start();
    }

    private void fail(String why) {
        failed.increment();
        if (failures.size() < 5) {
            failures.add(why);
        }
    }

    /** Waits until at least {@code n} more calls succeeded (a safety net of a few minutes applies). */
    void awaitMoreSuccesses(long n) throws InterruptedException {
        long target = ok.sum() + n;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (ok.sum() < target && failed.sum() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(Duration.ofMinutes(2).toMillis());
    }
}
