package io.github.mlflowsecretsauth.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders the proxy-against-nginx section from {@code wrk.tsv} (closed loop: round, target, conns,
 * rps, p50_us, p99_us, errors) and {@code rate.tsv} (constant rate: round, target, rate, achieved,
 * p50_us, p90_us, p99_us, p999_us, max_us, errors). Ratios and added latencies are taken within each
 * round, then their median and range across rounds are shown, so slow drifts of the shared machine
 * cancel out.
 *
 * <p>Usage: {@code ProxySection OUT.md WRK.tsv RATE.tsv}.
 */
public final class ProxySection {
    static final String DIRECT = "direct";
    static final String NGINX = "nginx";
    static final String PROXY = "proxy";

    public static void main(String[] args) throws IOException {
        Tsv wrk = Tsv.read(Path.of(args[1]));
        Tsv rate = Tsv.read(Path.of(args[2]));
        Markdown md = new Markdown();
        md.line("**Closed loop (wrk)**: as many requests as the connections can carry. Throughput per target; "
                + "the ratios are taken round by round. *CPU per request* is the CPU time (user + system, from /proc) of the "
                + "process in the middle divided by the requests it served: nginx's master and workers, the proxy's JVM, "
                + "or for *direct* the upstream nginx itself; it is the least noisy figure here.");
        md.line("");
        md.table("connections", "target", "requests/s", "p50 latency", "p99 latency", "÷ nginx (throughput)",
                "÷ direct (throughput)", "CPU per request", "errors");
        Optional<Stats> proxyVsNginx64 = Optional.empty();
        for (String conns : wrk.distinct("conns")) {
            for (String target : List.of(DIRECT, NGINX, PROXY)) {
                List<Tsv.Row> rows = wrk.where(r -> r.get("conns").equals(conns) && r.get("target").equals(target));
                if (rows.isEmpty()) {
                    continue;
                }
                Stats vsNginx = ratio(wrk, rows, conns, NGINX, "rps");
                Stats vsDirect = ratio(wrk, rows, conns, DIRECT, "rps");
                if (target.equals(PROXY) && conns.equals("64")) {
                    proxyVsNginx64 = Optional.ofNullable(vsNginx);
                }
                md.row(conns, target, col(rows, "rps").spread("%,.0f"), col(rows, "p50_us").spread("%.0f µs"),
                        col(rows, "p99_us").spread("%.0f µs"), vsNginx == null ? "–" : vsNginx.spread("%.2f"),
                        vsDirect == null ? "–" : vsDirect.spread("%.2f"), col(rows, "cpu_us_per_req").spread("%.1f µs"),
                        (long) col(rows, "errors").max());
            }
        }
        proxyVsNginx64.ifPresent(s -> md.line("Target (proxy throughput at least 0.8 of nginx's at 64 connections): "
                + (s.median() >= 0.8 ? "**met**" : String.format(Locale.ROOT, "**missed** by %.0f%% of nginx's throughput",
                100 * (0.8 - s.median()))) + String.format(Locale.ROOT, " (median ratio %.2f).", s.median())));
        md.line("");
        md.line("**Constant rate (wrk2-style, coordinated omission corrected)**: " + rate.rows().get(0).get("rate")
                + " requests/s over " + rate.rows().get(0).get("conns") + " keep-alive connections; latency counted from each "
                + "request's scheduled send time. *Added* is the difference to direct within the same round.");
        md.line("");
        md.table("target", "achieved req/s", "p50", "p90", "p99", "p99.9", "max", "added p50", "added p99", "errors");
        Optional<Stats> proxyAddedP99 = Optional.empty();
        for (String target : List.of(DIRECT, NGINX, PROXY)) {
            List<Tsv.Row> rows = rate.where(r -> r.get("target").equals(target));
            if (rows.isEmpty()) {
                continue;
            }
            Stats addedP50 = added(rate, rows, "p50_us");
            Stats addedP99 = added(rate, rows, "p99_us");
            if (target.equals(PROXY)) {
                proxyAddedP99 = Optional.ofNullable(addedP99);
            }
            md.row(target, col(rows, "achieved").spread("%,.0f"), col(rows, "p50_us").spread("%.0f µs"),
                    col(rows, "p90_us").spread("%.0f µs"), col(rows, "p99_us").spread("%.0f µs"),
                    col(rows, "p999_us").spread("%.0f µs"), col(rows, "max_us").spread("%.0f µs"),
                    addedP50 == null ? "–" : addedP50.spread("%+.0f µs"), addedP99 == null ? "–" : addedP99.spread("%+.0f µs"),
                    (long) col(rows, "errors").max());
        }
        proxyAddedP99.ifPresent(s -> md.line("Target (added p99 at most 1 ms at " + rate.rows().get(0).get("rate")
                + " requests/s): " + (s.median() <= 1000 ? "**met**" : String.format(Locale.ROOT, "**missed** by %.2f ms",
                (s.median() - 1000) / 1000)) + String.format(Locale.ROOT, " (median added p99 %.0f µs).", s.median())));
        md.line("");
        md.writeTo(Path.of(args[0]));
    }

    static Stats col(List<Tsv.Row> rows, String column) {
        return Stats.of(rows.stream().map(r -> r.num(column)).toList());
    }

    private static Stats ratio(Tsv all, List<Tsv.Row> rows, String conns, String reference, String column) {
        List<Double> ratios = new ArrayList<>();
        for (Tsv.Row r : rows) {
            all.where(x -> x.get("round").equals(r.get("round")) && x.get("conns").equals(conns) && x.get("target").equals(reference))
                    .forEach(ref -> ratios.add(r.num(column) / ref.num(column)));
        }
        return ratios.isEmpty() ? null : Stats.of(ratios);
    }

    private static Stats added(Tsv all, List<Tsv.Row> rows, String column) {
        if (rows.get(0).get("target").equals(DIRECT)) {
            return null;
        }
        List<Double> diffs = new ArrayList<>();
        for (Tsv.Row r : rows) {
            all.where(x -> x.get("round").equals(r.get("round")) && x.get("target").equals(DIRECT))
                    .forEach(ref -> diffs.add(r.num(column) - ref.num(column)));
        }
        return diffs.isEmpty() ? null : Stats.of(diffs);
    }
}
