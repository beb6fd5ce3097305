package io.github.mlflowsecretsauth.bench.hotpath;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.allowlist.HostAllowlist;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 9, item 1: the cost of {@code SecretsAuth.headersFor(URI)} on a warm cache, allowlist check
 * included, with the real engine over an in-memory provider (no network). {@link #headersFor()} is
 * the figure the target (100 ns) applies to; the other methods split it into its parts, and
 * {@link #proposedAllowlistMemo()} measures the allocation-free memo proposed in docs/PERFORMANCE.md.
 * Threads come from the runner ({@code -t 1|2|8}); allocation from {@code -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class HotPathBenchmark {
    /** The allowlist a production deployment would set: an exact host, a glob and a host:port. */
    public static final String ALLOWED_HOSTS = "mlflow.company.com,*.staging.company.com,nginx:80";
    public static final URI URL = URI.create("https://mlflow.company.com/api/2.0/mlflow/runs/log-metric");

    private static final java.time.Clock CLOCK = java.time.Clock.systemUTC();

    private SecretsAuth restricted;
    private SecretsAuth open;
    private HostAllowlist allowlist;
    private ProposedAllowlistMemo proposed;

    @Setup(Level.Trial)
    public void setUp() {
        restricted = engine(ALLOWED_HOSTS);
        open = engine(null);
        allowlist = restricted.config().allowlist();
        proposed = new ProposedAllowlistMemo(allowlist);
        if (restricted.headersFor(URL).isEmpty() || open.headersFor(URL).isEmpty()) {
            throw new IllegalStateException("the engine did not produce a credential header");
        }
    }

    /** An engine over the in-memory provider; TTL one hour, so no refresh runs during a trial. */
    public static SecretsAuth engine(String allowedHosts) {
        Settings.Builder s = Settings.builder().set("MLFLOW_SECRETS_AUTH_ENABLE", InMemoryProviderFactory.NAME)
                .set("MLFLOW_INMEM_TTL_SEC", "3600");
        if (allowedHosts != null) {
            s.set("MLFLOW_SECRETS_ALLOWED_HOSTS", allowedHosts);
        }
        return SecretsAuth.builder().settings(s.build()).factories(List.of(new InMemoryProviderFactory())).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        restricted.close();
        open.close();
    }

    /** The hot path: allowlist check, then the warm cache. */
    @Benchmark
    public Map<String, String> headersFor() {
        return restricted.headersFor(URL);
    }

    /** The same without an allowlist (every host allowed): no memo lookup. */
    @Benchmark
    public Map<String, String> headersForAllowAll() {
        return open.headersFor(URL);
    }

    /** The allowlist check alone (memoised decision). */
    @Benchmark
    public boolean allowlistAllows() {
        return allowlist.allows(URL);
    }

    /** The warm cache alone: a volatile read, a clock read and a hit counter. */
    @Benchmark
    public HeaderSnapshot cacheGet() {
        return restricted.currentSnapshot();
    }

    /** The wall-clock read the cache makes on every call, for comparison. */
    @Benchmark
    public long clockMillis() {
        return CLOCK.millis();
    }

    /** The proposed allowlist memo, keyed without building a string per call. */
    @Benchmark
    public boolean proposedAllowlistMemo() {
        return proposed.allows(URL);
    }
}
