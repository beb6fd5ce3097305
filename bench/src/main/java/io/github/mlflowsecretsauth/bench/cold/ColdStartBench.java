package io.github.mlflowsecretsauth.bench.cold;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.bench.report.Markdown;
import io.github.mlflowsecretsauth.bench.report.Stats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Issue 9, item 2a: 1,000 threads make their first call at once on an empty cache, against the
 * testkit Vault with a fixed answer delay. Per trial: how many backend fetches they caused (target:
 * exactly one), and their latency (p50, p99) against one cold call made alone, the "one backend round
 * trip" reference. Each trial uses fresh engines; the first trials warm the JIT and are discarded.
 *
 * <p>Usage: {@code ColdStartBench OUT.md [trials] [latencyMs] [callers]}.
 */
public final class ColdStartBench {
    private record Trial(double aloneMs, List<String> aloneRequests, long loads, int secretReads, double fromReleaseP50,
                         double fromReleaseP99, double perCallP50, double perCallP99) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int trials = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Duration latency = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 20);
        int callers = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int warmup = 3;
        List<Trial> kept = new ArrayList<>();
        try (VaultBackend vault = new VaultBackend(latency)) {
            for (int i = 0; i < warmup + trials; i++) {
                Trial t = trial(vault, callers);
                if (i >= warmup) {
                    kept.add(t);
                }
            }
        }
        report(kept, latency, callers, warmup).writeTo(out);
    }

    private static Trial trial(VaultBackend vault, int callers) throws InterruptedException {
        vault.resetCounts();
        double aloneMs;
        try (SecretsAuth alone = vault.engine(300)) {
            long s = System.nanoTime();
            alone.headersFor(VaultBackend.URL);
            aloneMs = (System.nanoTime() - s) / 1e6;
        }
        List<String> aloneRequests = vault.requestLines();
        vault.resetCounts();
        try (SecretsAuth engine = vault.engine(300)) {
            long[] fromRelease = new long[callers];
            long[] perCall = new long[callers];
            CountDownLatch ready = new CountDownLatch(callers);
            CountDownLatch go = new CountDownLatch(1);
            long[] releasedAt = new long[1];
            List<Thread> threads = new ArrayList<>(callers);
            for (int i = 0; i < callers; i++) {
                int n = i;
                Thread t = new Thread(null, () -> {
                    ready.countDown();
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    long s = System.nanoTime();
                    if (engine.headersFor(VaultBackend.URL).isEmpty()) {
                        throw new IllegalStateException("no credential header");
                    }
                    long end = System.nanoTime();
                    perCall[n] = end - s;
                    fromRelease[n] = end - releasedAt[0];
                }, "cold-caller-" + i, 256 * 1024);
                threads.add(t);
                t.start();
            }
            ready.await();
            releasedAt[0] = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            Stats release = Stats.ofNanos(fromRelease);
            Stats call = Stats.ofNanos(perCall);
            return new Trial(aloneMs, aloneRequests, engine.cacheStats().loads(), vault.secretReads(),
                    release.percentile(50) / 1e6, release.percentile(99) / 1e6, call.percentile(50) / 1e6,
                    call.percentile(99) / 1e6);
        }
    }

    private static Markdown report(List<Trial> ts, Duration latency, int callers, int warmup) {
        Stats alone = Stats.of(ts.stream().map(Trial::aloneMs).toList());
        long oneFetch = ts.stream().filter(t -> t.loads() == 1 && t.secretReads() == 1).count();
        Markdown md = new Markdown();
        md.line("Testkit Vault on loopback, every answer delayed " + latency.toMillis() + " ms; " + ts.size()
                + " trials after " + warmup + " warm-up trials, each with fresh engines. A cold fetch is "
                + ts.get(0).aloneRequests().size() + " Vault requests (`" + String.join("`, `", ts.get(0).aloneRequests())
                + "`), so one round trip here is about " + ts.get(0).aloneRequests().size() * latency.toMillis()
                + " ms of backend delay plus the client's own work.");
        md.line("");
        md.table("measure", "median [min–max] over trials", "÷ one cold call alone");
        md.row("one cold call alone (the backend round trip)", alone.spread("%.1f ms"), "1");
        row(md, "p50 latency of the " + callers + " calls, from their common release", ts, Trial::fromReleaseP50, alone);
        row(md, "p99 latency, from the release", ts, Trial::fromReleaseP99, alone);
        row(md, "p50 latency, each call from its own start", ts, Trial::perCallP50, alone);
        row(md, "p99 latency, each call from its own start", ts, Trial::perCallP99, alone);
        md.row("backend fetches per trial (cache loads / Vault KV reads)",
                Stats.of(ts.stream().map(Trial::loads).toList()).spread("%.0f") + " / "
                        + Stats.of(ts.stream().map(Trial::secretReads).toList()).spread("%.0f"), "");
        md.line("Target (exactly one backend fetch per " + callers + " concurrent first calls): "
                + (oneFetch == ts.size() ? "**met** in " : "**missed**: met in ") + oneFetch + " of " + ts.size() + " trials.");
        md.line("");
        return md;
    }

    private static void row(Markdown md, String label, List<Trial> ts, java.util.function.ToDoubleFunction<Trial> f, Stats alone) {
        Stats s = Stats.of(ts.stream().map(t -> f.applyAsDouble(t)).toList());
        Stats ratio = Stats.of(ts.stream().map(t -> f.applyAsDouble(t) / t.aloneMs()).toList());
        md.row(label, s.spread("%.1f ms"), ratio.spread("%.2f"));
    }
}
