package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The proxy's settings that bound time and memory, and the names it answers for, read in one place. */
final class ProxyLimits {
    static final int DEFAULT_UPSTREAM_TIMEOUT_SEC = 60;
    static final int MAX_UPSTREAM_TIMEOUT_SEC = 3600;
    static final int DEFAULT_REPLAY_BUDGET_MB = 32;
    static final int MAX_REPLAY_BUDGET_MB = 4096;
    /**
     * One pool for the listener and the client towards MLflow. Jetty's proxy is asynchronous, so a thread is
     * held only while a request is read, signed or waits on a cold credential; measured on 2 cores, 16 to 32
     * shared threads served as many requests per second as the 200 + 200 of Jetty's defaults, with a sixth of
     * the threads (docs/PERFORMANCE.md, tuning experiments).
     */
    static final int DEFAULT_THREADS = 32;
    static final int MIN_THREADS = 8;
    static final int MAX_THREADS = 1024;

    /** A DNS name or an IPv4 address: no scheme, port, path, wildcard or user info. */
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private ProxyLimits() {
    }

    /**
     * {@value ConfigKeys#PROXY_HOST_NAMES}: a comma list of further names the proxy answers for (besides its listen
     * address, loopback and the machine's own name), lower-cased; empty entries are skipped, an invalid one is an error.
     */
    static List<String> hostNames(Settings s) {
        List<String> names = new ArrayList<>();
        String raw = s.get(ConfigKeys.PROXY_HOST_NAMES).orElse("");
        int position = 0;
        for (String entry : raw.split(",", -1)) {
            position++;
            String name = entry.strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (!HOST_NAME.matcher(name).matches() || name.length() > 253) {
                throw new ConfigurationException(ConfigKeys.PROXY_HOST_NAMES
                        + ": entry " + position + " is not a host name; give bare names without scheme, port or '*', "
                        + "comma-separated, e.g. mlflow-secrets-auth,mlflow-secrets-auth.ml-platform.svc");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    static Duration upstreamTimeout(Settings s) {
        return ConfigValues.secondsWithin(s, ConfigKeys.PROXY_UPSTREAM_TIMEOUT_SEC, DEFAULT_UPSTREAM_TIMEOUT_SEC,
                MAX_UPSTREAM_TIMEOUT_SEC);
    }

    static int threads(Settings s) {
        long n = ConfigValues.positiveLong(s, ConfigKeys.PROXY_THREADS, DEFAULT_THREADS,
                "a whole number of threads from " + MIN_THREADS + " to " + MAX_THREADS);
        if (n < MIN_THREADS || n > MAX_THREADS) {
            throw new ConfigurationException(ConfigKeys.PROXY_THREADS + " must be a whole number of threads from "
                    + MIN_THREADS + " to " + MAX_THREADS + " (got " + n + ")");
        }
        return (int) n;
    }

    /**
     * {@code MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB} if set; else {@link #defaultReplayBudgetBytes} of this JVM's heap.
     */
    static long replayBudgetBytes(Settings s) {
        if (s.get(ConfigKeys.PROXY_REPLAY_BUDGET_MB).isEmpty()) {
            return defaultReplayBudgetBytes(Runtime.getRuntime().maxMemory());
        }
        return ConfigValues.nonNegativeLong(s, ConfigKeys.PROXY_REPLAY_BUDGET_MB, DEFAULT_REPLAY_BUDGET_MB,
                MAX_REPLAY_BUDGET_MB, "a whole number of MiB (0 turns replays off)") << 20;
    }

    /**
     * 32 MiB, or an eighth of the heap if that is less. Bodies that stream past the budget still hold the network
     * buffers of their connections: at {@code -Xmx64m} a 32 MiB budget ran out of heap when 150 kept-alive
     * connections sent 1 MiB each at once (reliability {@code ProxyMemoryTest}, full form); 8 MiB held.
     */
    static long defaultReplayBudgetBytes(long maxHeapBytes) {
        return Math.min((long) DEFAULT_REPLAY_BUDGET_MB << 20, maxHeapBytes / 8);
    }
}
