package io.github.mlflowsecretsauth.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the hot-path section from JMH's JSON results ({@code -rf json}): time per call as the median
 * and range of all measurement iterations, the cost per call in core-nanoseconds when threads
 * outnumber cores, and bytes allocated per call ({@code -prof gc}).
 *
 * <p>Usage: {@code JmhSection OUT.md NPROC RESULT.json...}.
 */
public final class JmhSection {
    private static final double TARGET_NS = 100;

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        int nproc = Integer.parseInt(args[1]);
        List<JsonNode> results = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 2; i < args.length; i++) {
            json.readTree(new File(args[i])).forEach(results::add);
        }
        Markdown md = new Markdown();
        md.table("benchmark", "threads", "ns per call, median [min–max] of iterations", "core-ns per call",
                "million calls/s, all threads", "bytes allocated per call");
        String verdict = null;
        double worst = 0;
        for (JsonNode r : results) {
            String name = r.get("benchmark").asText().replaceAll(".*\\.", "");
            int threads = r.get("threads").asInt();
            List<Double> raw = new ArrayList<>();
            r.get("primaryMetric").get("rawData").forEach(fork -> fork.forEach(v -> raw.add(v.asDouble())));
            Stats s = Stats.of(raw);
            double core = s.median() * Math.min(threads, nproc) / threads;
            JsonNode alloc = r.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
            md.row("`" + name + "`", threads, s.spread("%.1f"), Stats.fmt("%.1f", core),
                    Stats.fmt("%.1f", threads * 1000.0 / s.median()), alloc.isMissingNode() ? "–" : Stats.fmt("%.0f", alloc.asDouble()));
            if (name.equals("headersFor")) {
                worst = Math.max(worst, core);
            }
        }
        if (worst > 0) {
            verdict = worst <= TARGET_NS
                    ? String.format(Locale.ROOT, "**met**: at most %.1f core-ns per `headersFor` call at any thread count (%.0f%% of the budget)",
                    worst, 100 * worst / TARGET_NS)
                    : String.format(Locale.ROOT, "**missed** by %.1f ns (%.0f%% over): up to %.1f core-ns per call", worst - TARGET_NS,
                    100 * (worst - TARGET_NS) / TARGET_NS, worst);
            md.line("Target (at most 100 ns per call): " + verdict + ".");
        }
        md.line("");
        md.writeTo(out);
    }
}
