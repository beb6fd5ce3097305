package io.github.mlflowsecretsauth.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Each scenario's counts: one summary line on stdout, and one line appended to
 * {@code target/reliability/results.jsonl} and {@code results.md}, which docs/RELIABILITY.md quotes.
 * Thread-safe (appends are synchronised).
 */
final class Results {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static boolean fresh; // the first record of the scenario JVM starts the files afresh (not LeakScanIT's)

    private Results() {
    }

    static Path dir() {
        Path d = Path.of(System.getProperty("reliability.dir", "target/reliability"));
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d;
    }

    /** A builder of one scenario's counts, in insertion order. */
    static Counts of(String scenario) {
        return new Counts(scenario);
    }

    static final class Counts {
        private final String scenario;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Counts(String scenario) {
            this.scenario = scenario;
        }

        Counts put(String key, Object value) {
            values.put(key, value);
            return this;
        }

        /** Prints and appends; returns the summary line. */
        String record() {
            StringJoiner line = new StringJoiner(", ", "RELIABILITY [" + Scale.current().name() + "] " + scenario + ": ", "");
            values.forEach((k, v) -> line.add(k + "=" + v));
            String text = line.toString();
            System.out.println(text);
            ObjectNode node = JSON.createObjectNode();
            node.put("scenario", scenario);
            node.put("scale", Scale.current().name());
            node.put("at", Instant.now().toString());
            values.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
            synchronized (Results.class) {
                try {
                    if (!fresh && !Boolean.getBoolean("reliability.keepResults")) {
                        fresh = true;
                        Files.deleteIfExists(dir().resolve("results.jsonl"));
                        Files.deleteIfExists(dir().resolve("results.md"));
                    }
                    Files.writeString(dir().resolve("results.jsonl"), node + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Files.writeString(dir().resolve("results.md"), "- " + text.substring("RELIABILITY ".length()) + "\n",
                            StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return text;
        }
    }
}
