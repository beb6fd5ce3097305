package io.github.mlflowsecretsauth.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the streaming section from {@code streaming.tsv} (round, target, direction, seconds, bytes)
 * and {@code rss.tsv} (stage, vmhwm_kb, vmrss_kb, heap) of the proxy process.
 *
 * <p>Usage: {@code StreamingSection OUT.md STREAMING.tsv RSS.tsv}.
 */
public final class StreamingSection {
    public static void main(String[] args) throws IOException {
        Tsv runs = Tsv.read(Path.of(args[1]));
        Tsv rss = Tsv.read(Path.of(args[2]));
        Markdown md = new Markdown();
        md.table("direction", "target", "MiB/s", "seconds per GiB", "÷ direct (throughput)", "÷ nginx (throughput)");
        for (String direction : runs.distinct("direction")) {
            for (String target : runs.distinct("target")) {
                List<Tsv.Row> rows = runs.where(r -> r.get("direction").equals(direction) && r.get("target").equals(target));
                if (rows.isEmpty()) {
                    continue;
                }
                Stats mibs = Stats.of(rows.stream().map(r -> r.num("bytes") / r.num("seconds") / (1 << 20)).toList());
                Stats secs = Stats.of(rows.stream().map(r -> r.num("seconds") * (1 << 30) / r.num("bytes")).toList());
                md.row(direction, target, mibs.spread("%,.0f"), secs.spread("%.2f"), ratio(runs, rows, direction, "direct"),
                        ratio(runs, rows, direction, "nginx"));
            }
        }
        md.line("Proxy process (`bin/mlflow-secrets-auth proxy`, " + rss.rows().get(0).get("heap") + "), from /proc/&lt;pid&gt;/status:");
        md.line("");
        md.table("when", "peak RSS (VmHWM)", "RSS (VmRSS)");
        for (Tsv.Row r : rss.rows()) {
            md.row(r.get("stage"), Stats.fmt("%.0f MiB", r.num("vmhwm_kb") / 1024), Stats.fmt("%.0f MiB", r.num("vmrss_kb") / 1024));
        }
        md.writeTo(Path.of(args[0]));
    }

    /** Throughput relative to {@code reference} in the same round and direction, or a dash. */
    private static String ratio(Tsv runs, List<Tsv.Row> rows, String direction, String reference) {
        List<Double> ratios = new ArrayList<>();
        for (Tsv.Row r : rows) {
            runs.where(x -> x.get("round").equals(r.get("round")) && x.get("direction").equals(direction)
                    && x.get("target").equals(reference)).forEach(d -> ratios.add(d.num("seconds") / r.num("seconds")));
        }
        return rows.get(0).get("target").equals(reference) || ratios.isEmpty() ? "–" : Stats.of(ratios).spread("%.2f");
    }
}
