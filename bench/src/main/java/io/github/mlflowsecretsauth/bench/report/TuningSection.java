package io.github.mlflowsecretsauth.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the proxy tuning table from {@code tuning.tsv} (round, variant, rps, p50_us, p99_us,
 * cpu_us_per_req, threads); the first variant is the baseline the ratios refer to, round by round.
 *
 * <p>Usage: {@code TuningSection OUT.md TUNING.tsv}.
 */
public final class TuningSection {
    public static void main(String[] args) throws IOException {
        Tsv t = Tsv.read(Path.of(args[1]));
        String baseline = t.distinct("variant").get(0);
        Markdown md = new Markdown();
        md.table("variant (wrk, 64 connections)", "requests/s", "÷ as shipped", "CPU per request", "÷ as shipped (CPU)",
                "p99 latency", "JVM threads after the run");
        for (String v : t.distinct("variant")) {
            List<Tsv.Row> rows = t.where(r -> r.get("variant").equals(v));
            List<Double> rps = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            for (Tsv.Row r : rows) {
                t.where(b -> b.get("round").equals(r.get("round")) && b.get("variant").equals(baseline)).forEach(b -> {
                    rps.add(r.num("rps") / b.num("rps"));
                    cpu.add(r.num("cpu_us_per_req") / b.num("cpu_us_per_req"));
                });
            }
            md.row(v, ProxySection.col(rows, "rps").spread("%,.0f"), Stats.of(rps).spread("%.2f"),
                    ProxySection.col(rows, "cpu_us_per_req").spread("%.1f µs"), Stats.of(cpu).spread("%.2f"),
                    ProxySection.col(rows, "p99_us").spread("%.0f µs"), ProxySection.col(rows, "threads").spread("%.0f"));
        }
        md.writeTo(Path.of(args[0]));
    }
}
