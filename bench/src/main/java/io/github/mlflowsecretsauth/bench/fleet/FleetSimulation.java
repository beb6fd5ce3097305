package io.github.mlflowsecretsauth.bench.fleet;

import io.github.mlflowsecretsauth.bench.report.Markdown;
import io.github.mlflowsecretsauth.cache.CachePolicy;
import io.github.mlflowsecretsauth.cache.RefreshingCache;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

/**
 * Issue 9, item 6: N clients, each with its own {@link RefreshingCache} built exactly as the engine
 * builds it ({@link CachePolicy#defaults}), refresh one secret from one backend under a simulated
 * clock ({@link FakeClock}, {@link ManualScheduler}); the backend counts requests per simulated
 * second. Scenarios: the whole fleet starts at once (a redeploy) with the real jitter, the same with
 * jitter switched off (every random draw 0.5), a start spread over one TTL, and one shared proxy per
 * node serving many processes (so the backend sees one cache per node).
 *
 * <p>Usage: {@code FleetSimulation OUT.md [maxClients] [ttlSeconds] [cycles]}.
 */
public final class FleetSimulation {
    private static final long SEED = 20261123L;
    private static final int PROCESSES_PER_NODE = 32;
    private static final double DEFAULT_TTL_JITTER = CachePolicy.defaults(Duration.ZERO).ttlJitter();

    private enum Scenario {
        SYNC_JITTER("all start at once, real jitter", true, false, 1, DEFAULT_TTL_JITTER),
        SYNC_NO_JITTER("all start at once, jitter off", false, false, 1, DEFAULT_TTL_JITTER),
        STAGGERED_JITTER("start spread over one TTL, real jitter", true, true, 1, DEFAULT_TTL_JITTER),
        SHARED_PROXY("one proxy per node (" + PROCESSES_PER_NODE + " processes), all start at once, real jitter", true, false,
                PROCESSES_PER_NODE, DEFAULT_TTL_JITTER),
        WIDE_JITTER("all start at once, ttlJitter 0.5 instead of 0.1 (a tuning option)", true, false, 1, 0.5);

        final String label;
        final boolean jitter;
        final boolean staggered;
        final int processesPerCache;
        final double ttlJitter;

        Scenario(String label, boolean jitter, boolean staggered, int processesPerCache, double ttlJitter) {
            this.label = label;
            this.jitter = jitter;
            this.staggered = staggered;
            this.processesPerCache = processesPerCache;
            this.ttlJitter = ttlJitter;
        }
    }

    /** Backend requests per simulated second, and the derived figures. */
    record Result(int caches, int[] perSecond, int ttlSeconds) {
        double mean(int from, int to) {
            long sum = 0;
            for (int s = from; s < to; s++) {
                sum += perSecond[s];
            }
            return (double) sum / (to - from);
        }

        int peak(int from, int to) {
            int max = 0;
            for (int s = from; s < to; s++) {
                max = Math.max(max, perSecond[s]);
            }
            return max;
        }
    }

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        int maxClients = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int ttl = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        int cycles = args.length > 3 ? Integer.parseInt(args[3]) : 12;
        int seconds = ttl * cycles;
        int steadyFrom = seconds / 2;
        Markdown md = new Markdown();
        md.line("Simulated " + cycles + " TTLs of " + ttl + " s (" + seconds / 60 + " min) with `CachePolicy.defaults` "
                + "(refresh at 75% of the TTL, jittered 0.9–1.0; up to 10% off each TTL). N/TTL is the load if every client "
                + "fetched once per TTL. *Wave* is the first refresh wave after start (TTL/2 to 2 TTL); *steady* is the second "
                + "half of the run. The start itself (N requests in the first second, or N/TTL when staggered) is not counted "
                + "in either.");
        md.line("");
        md.table("clients N", "N/TTL req/s", "scenario", "backend caches", "mean req/s (steady)", "mean ÷ N/TTL",
                "peak req/s (wave)", "peak req/s (steady)", "steady peak ÷ mean");
        for (int n = 10; n <= maxClients; n *= 10) {
            for (Scenario sc : Scenario.values()) {
                Result r = simulate(n, sc, ttl, seconds);
                double perTtl = (double) n / ttl;
                double mean = r.mean(steadyFrom, seconds);
                md.row(String.format(Locale.ROOT, "%,d", n), fmt(perTtl), sc.label, String.format(Locale.ROOT, "%,d", r.caches()),
                        fmt(mean), fmt(mean / perTtl), String.format(Locale.ROOT, "%,d", r.peak(ttl / 2, 2 * ttl)),
                        String.format(Locale.ROOT, "%,d", r.peak(steadyFrom, seconds)),
                        mean == 0 ? "–" : fmt(r.peak(steadyFrom, seconds) / mean));
            }
        }
        md.writeTo(out);
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static Result simulate(int clients, Scenario sc, int ttlSeconds, int seconds) {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        ManualScheduler scheduler = new ManualScheduler(clock);
        long start = clock.millis();
        int[] perSecond = new int[seconds + 1];
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        RefreshingCache.Loaded<String> value = new RefreshingCache.Loaded<>("credential", ttl);
        RefreshingCache.Loader<String> backend = () -> {
            int s = (int) ((clock.millis() - start) / 1000);
            if (s < perSecond.length) {
                perSecond[s]++;
            }
            return value;
        };
        int caches = (clients + sc.processesPerCache - 1) / sc.processesPerCache;
        SplittableRandom starts = new SplittableRandom(SEED);
        CachePolicy d = CachePolicy.defaults(Duration.ofSeconds(900));
        CachePolicy policy = new CachePolicy(d.refreshAhead(), sc.ttlJitter, d.staleIfError(), d.initialBackoff(), d.maxBackoff(), d.fetchDeadline());
        for (int i = 0; i < caches; i++) {
            DoubleSupplier random = sc.jitter ? new SplittableRandom(SEED + i)::nextDouble : () -> 0.5;
            RefreshingCache<String> cache = new RefreshingCache<>("client-" + i, backend, clock, scheduler, policy, random, v -> v);
            long at = sc.staggered ? (long) (starts.nextDouble() * ttl.toMillis()) : 0;
            scheduler.schedule(Duration.ofMillis(at), cache::get);
        }
        scheduler.advance(Duration.ofSeconds(seconds));
        scheduler.close();
        return new Result(caches, perSecond, ttlSeconds);
    }
}
