package io.github.mlflowsecretsauth.bench.startup;

import io.github.mlflowsecretsauth.SecretsAuth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 9, item 5: the first authenticated MLflow call of a cold JVM, as a library user makes it:
 * build the engine from the environment, get the headers (a Vault fetch), send one request with them.
 * Exits 1 unless the server answers 200. With a phases file, appends one row of timings to it.
 *
 * <p>Usage: {@code FirstAuthenticatedCall URL [PHASES.tsv LAUNCH_EPOCH_NANOS]} (the shell passes
 * {@code $(date +%s%N)} taken just before {@code java} starts).
 */
public final class FirstAuthenticatedCall {
    public static void main(String[] args) throws Exception {
        long mainNanos = nowEpochNanos();
        URI url = URI.create(args[0]);
        long t0 = System.nanoTime();
        int status;
        long t1;
        long t2;
        try (SecretsAuth auth = SecretsAuth.fromEnvironment()) {
            t1 = System.nanoTime();
            Map<String, String> headers = auth.headersFor(url);
            t2 = System.nanoTime();
            if (headers.isEmpty()) {
                System.err.println("no credential header for " + url.getRawAuthority() + ": check MLFLOW_SECRETS_ALLOWED_HOSTS");
                System.exit(1);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url).GET();
            headers.forEach(request::header);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        long t3 = System.nanoTime();
        if (args.length > 2) {
            double launchToMain = (mainNanos - Long.parseLong(args[2])) / 1e6;
            Path phases = Path.of(args[1]);
            if (!Files.exists(phases)) {
                Files.writeString(phases, "jvm_to_main_ms\tengine_ms\tfetch_ms\trequest_ms\ttotal_ms\n", StandardCharsets.UTF_8);
            }
            Files.writeString(phases, String.format(Locale.ROOT, "%.1f\t%.1f\t%.1f\t%.1f\t%.1f%n", launchToMain, (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6, (t3 - t2) / 1e6, launchToMain + (t3 - t0) / 1e6), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        if (status != 200) {
            System.err.println("the server answered HTTP " + status);
            System.exit(1);
        }
    }

    private static long nowEpochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
