package io.github.mlflowsecretsauth.testkit.fault;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;

/**
 * Stalls injected into a testkit server: requests whose path starts with a prefix are answered with a
 * {@link StallMode} instead of normally, over the real socket, until {@link #clear()}. A held connection
 * stays open (its idle timeout is raised to {@link #HOLD}) until {@link #release()} or the server stops.
 * Every testkit backend server has one ({@code stalls()}).
 *
 * <p>Thread-safe: tests call it while Jetty serves requests.
 */
public final class Stalls {
    /** How long a held connection may stay silent before Jetty itself closes it. */
    public static final Duration HOLD = Duration.ofHours(1);

    private record Rule(StallMode mode, String pathPrefix, AtomicInteger left) {
    }

    private volatile Rule rule;
    private final AtomicInteger stalled = new AtomicInteger();
    private final Set<EndPoint> held = ConcurrentHashMap.newKeySet();

    /** Stalls every request whose path starts with {@code pathPrefix} ({@code "/"}: all), until {@link #clear()}. */
    public void stall(StallMode mode, String pathPrefix) {
        stallNext(Integer.MAX_VALUE, mode, pathPrefix);
    }

    /** Stalls the next {@code count} requests whose path starts with {@code pathPrefix}; replaces any earlier rule. */
    public void stallNext(int count, StallMode mode, String pathPrefix) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0");
        }
        rule = new Rule(Objects.requireNonNull(mode), Objects.requireNonNull(pathPrefix), new AtomicInteger(count));
    }

    /** New requests are answered normally again; connections already held stay held (see {@link #release()}). */
    public void clear() {
        rule = null;
    }

    /** Closes every held connection (the client sees the connection end mid-answer). */
    public void release() {
        for (EndPoint e : held) {
            e.close();
        }
        held.clear();
    }

    /** How many requests were stalled so far. */
    public int stalledCount() {
        return stalled.get();
    }

    /** How many stalled connections are open now. */
    public int heldCount() {
        held.removeIf(e -> !e.isOpen());
        return held.size();
    }

    /** Wraps a server's handler so these stalls apply to it; for the testkit's servers. */
    public Handler around(Handler handler) {
        return new StallingHandler(this, handler);
    }

    /** The mode to stall a request for {@code path} with, consuming one from the rule's count; {@code null}: serve it. */
    StallMode take(String path) {
        Rule r = rule;
        if (r == null || !path.startsWith(r.pathPrefix) || r.left.getAndUpdate(n -> n == Integer.MAX_VALUE ? n : Math.max(0, n - 1)) == 0) {
            return null;
        }
        stalled.incrementAndGet();
        return r.mode;
    }

    void hold(EndPoint endPoint) {
        endPoint.setIdleTimeout(HOLD.toMillis());
        held.add(endPoint);
    }
}
