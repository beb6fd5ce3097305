package io.github.mlflowsecretsauth.bench.cold;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.bench.report.Markdown;
import io.github.mlflowsecretsauth.bench.report.Stats;
import io.github.mlflowsecretsauth.cache.CacheStats;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.function.Function;

/**
 * Issue 9, item 2b: callers hammer a warm engine through 10 TTL cycles in real time (TTL 1 s, the
 * smallest the settings allow) while refresh-ahead renews the credential in the background from the
 * testkit Vault. Counts the calls that waited on the backend after the first one (CacheStats.waits;
 * target 0), the slowest call, the fetches, and the fetches that came less than 100 ms after the
 * previous one (a watcher samples the fetch counter every millisecond): with no callers only the
 * scheduler refreshes, which gives the expected fetch count. A stress row uses a backend delay longer
 * than the refresh-ahead window (about 22.5% of the TTL at worst) to show where it stops hiding the backend.
 *
 * <p>Usage: {@code RefreshAheadBench OUT.md [runs] [cycles]}.
 */
public final class RefreshAheadBench {
    private static final int TTL_SECONDS = 1;

    private record Run(long calls, long waitsAfterWarmup, long loads, long backToBack, double maxCallMs) {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int cycles = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Markdown md = new Markdown();
        md.line("Threads call `headersFor` in a loop for " + cycles + " TTL cycles (TTL " + TTL_SECONDS
                + " s, real clock and scheduler, default refresh-ahead at ~75% of a jittered TTL) against the testkit Vault. "
                + "*Back-to-back* counts fetches that started less than 100 ms after the previous one started (sampled every millisecond).");
        md.line("");
        md.table("backend delay", "caller threads", "runs", "calls", "calls that waited after warm-up", "backend fetches",
                "back-to-back fetches", "slowest call");
        long worst = 0;
        for (int callers : new int[] {4, 1, 0}) {
            List<Run> rs = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                rs.add(run(20, callers, cycles));
            }
            if (callers > 0) {
                worst = Math.max(worst, rs.stream().mapToLong(Run::waitsAfterWarmup).max().orElse(0));
            }
            row(md, "20 ms", callers, rs);
        }
        row(md, "400 ms (stress: 40% of the TTL)", 4, List.of(run(400, 4, cycles)));
        md.line("Target (0 calls waited on the backend after warm-up, 20 ms backend): "
                + (worst == 0 ? "**met**" : "**missed**: up to " + worst + " waits per run") + ".");
        md.line("");
        md.writeTo(out);
    }

    private static void row(Markdown md, String delay, int callers, List<Run> rs) {
        Function<java.util.function.ToDoubleFunction<Run>, Stats> s = f -> Stats.of(rs.stream().map(f::applyAsDouble).toList());
        md.row(delay, callers, rs.size(), callers == 0 ? "–" : s.apply(Run::calls).spread("%.3g"),
                callers == 0 ? "–" : s.apply(Run::waitsAfterWarmup).spread("%.0f"), s.apply(Run::loads).spread("%.0f"),
                s.apply(Run::backToBack).spread("%.0f"), callers == 0 ? "–" : s.apply(Run::maxCallMs).spread("%.2f ms"));
    }

    private static Run run(long latencyMs, int callers, int cycles) throws InterruptedException {
        try (VaultBackend vault = new VaultBackend(Duration.ofMillis(latencyMs));
             SecretsAuth engine = vault.engine(TTL_SECONDS)) {
            engine.headersFor(VaultBackend.URL); // warm-up: the one call that has to wait
            CacheStats stats = engine.cacheStats();
            long waitsAtStart = stats.waits();
            long loadsAtStart = stats.loads();
            long deadline = System.nanoTime() + Duration.ofSeconds((long) TTL_SECONDS * cycles).toNanos();
            AtomicLong calls = new AtomicLong();
            AtomicLong backToBack = new AtomicLong();
            LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
            List<Thread> threads = new ArrayList<>();
            Thread watcher = new Thread(() -> {
                long seen = stats.loads();
                long lastAt = System.nanoTime();
                while (System.nanoTime() < deadline) {
                    long n = stats.loads();
                    if (n > seen) {
                        long now = System.nanoTime();
                        // Every new fetch within 100 ms of the previous one counts; so do all but one of several seen at once.
                        backToBack.addAndGet(now - lastAt < 100_000_000L ? n - seen : n - seen - 1);
                        seen = n;
                        lastAt = now;
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
                }
            }, "refresh-watcher");
            threads.add(watcher);
            for (int i = 0; i < callers; i++) {
                threads.add(new Thread(() -> {
                    long n = 0;
                    long max = 0;
                    while (System.nanoTime() < deadline) {
                        long s = System.nanoTime();
                        engine.headersFor(VaultBackend.URL);
                        max = Math.max(max, System.nanoTime() - s);
                        n++;
                    }
                    calls.addAndGet(n);
                    maxNanos.accumulate(max);
                }, "refresh-caller-" + i));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            return new Run(calls.get(), stats.waits() - waitsAtStart, stats.loads() - loadsAtStart, backToBack.get(),
                    maxNanos.get() / 1e6);
        }
    }
}
