package io.github.mlflowsecretsauth.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the start-up section from hyperfine's JSON exports (one file per command group; the first
 * command of a file is the baseline its ratios refer to) and, if given, {@code phases.tsv} written by
 * {@code FirstAuthenticatedCall} runs.
 *
 * <p>Usage: {@code StartupSection OUT.md PHASES.tsv HYPERFINE.json...}.
 */
public final class StartupSection {
    public static void main(String[] args) throws IOException {
        Markdown md = new Markdown();
        md.table("command", "wall time, median [min–max]", "÷ first row of its group", "runs");
        ObjectMapper json = new ObjectMapper();
        for (int i = 2; i < args.length; i++) {
            JsonNode results = json.readTree(new File(args[i])).get("results");
            List<Double> base = times(results.get(0));
            for (JsonNode r : results) {
                List<Double> t = times(r);
                Stats s = Stats.of(t);
                md.row("`" + r.get("command").asText() + "`", s.spread("%.0f ms"), Stats.fmt("%.2f", s.median() / Stats.of(base).median()),
                        t.size());
            }
        }
        Path phases = Path.of(args[1]);
        if (Files.exists(phases)) {
            Tsv p = Tsv.read(phases);
            md.line("Where the time of a cold library call goes (`FirstAuthenticatedCall`, " + p.rows().size() + " runs; "
                    + "from the process start as the kernel records it):");
            md.line("");
            md.table("phase", "median [min–max]");
            for (String c : List.of("jvm_to_main_ms", "engine_ms", "fetch_ms", "request_ms", "total_ms")) {
                md.row(label(c), Stats.of(p.rows().stream().map(r -> r.num(c)).toList()).spread("%.0f ms"));
            }
        }
        md.writeTo(Path.of(args[0]));
    }

    private static String label(String column) {
        return switch (column) {
            case "jvm_to_main_ms" -> "process start to `main`";
            case "engine_ms" -> "build the engine (`SecretsAuth.fromEnvironment()`)";
            case "fetch_ms" -> "first `headersFor` (Vault fetch)";
            case "request_ms" -> "first MLflow request with the header (JDK HttpClient)";
            default -> "process start to the authenticated response";
        };
    }

    private static List<Double> times(JsonNode result) {
        List<Double> t = new ArrayList<>();
        result.get("times").forEach(v -> t.add(v.asDouble() * 1000));
        return t;
    }
}
