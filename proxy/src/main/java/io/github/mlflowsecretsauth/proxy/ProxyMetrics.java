package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.cache.CacheStats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The proxy's counters, rendered in the Prometheus text format. Cheap to update from many threads
 * ({@link LongAdder}s). Labels are methods and status codes only: never a path, header or credential.
 */
public final class ProxyMetrics {
    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> upstreamByStatus = new ConcurrentHashMap<>();
    final LongAdder replaysAuth = new LongAdder();
    final LongAdder replaysThrottle = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder credentialFailures = new LongAdder();

    void request(String method) {
        requestsByMethod.computeIfAbsent(knownMethod(method), m -> new LongAdder()).increment();
    }

    void upstreamStatus(int status) {
        upstreamByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    private static String knownMethod(String m) {
        return switch (m) {
            case "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS" -> m;
            default -> "OTHER";
        };
    }

    public long requests() {
        return requestsByMethod.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public long upstreamResponses(int status) {
        LongAdder a = upstreamByStatus.get(status);
        return a == null ? 0 : a.sum();
    }

    public long authReplays() {
        return replaysAuth.sum();
    }

    public long throttleReplays() {
        return replaysThrottle.sum();
    }

    public long refused() {
        return refused.sum();
    }

    /** Prometheus text exposition, with the credential cache's counters. */
    String render(CacheStats cache) {
        StringBuilder sb = new StringBuilder();
        counter(sb, "mlflow_secrets_auth_proxy_requests_total", "Requests received by the proxy, by method.");
        new TreeMap<>(requestsByMethod).forEach((m, n) -> sb.append("mlflow_secrets_auth_proxy_requests_total{method=\"")
                .append(m).append("\"} ").append(n.sum()).append('\n'));
        counter(sb, "mlflow_secrets_auth_proxy_upstream_responses_total", "Upstream responses, by status code.");
        new TreeMap<>(upstreamByStatus).forEach((s, n) -> sb.append("mlflow_secrets_auth_proxy_upstream_responses_total{status=\"")
                .append(s).append("\"} ").append(n.sum()).append('\n'));
        counter(sb, "mlflow_secrets_auth_proxy_replays_total", "Requests replayed, by reason.");
        sb.append("mlflow_secrets_auth_proxy_replays_total{reason=\"auth\"} ").append(replaysAuth.sum()).append('\n');
        sb.append("mlflow_secrets_auth_proxy_replays_total{reason=\"throttle\"} ").append(replaysThrottle.sum()).append('\n');
        single(sb, "mlflow_secrets_auth_proxy_refused_total", "Requests refused (wrong host, CONNECT, missing client token).", refused.sum());
        single(sb, "mlflow_secrets_auth_proxy_upstream_failures_total", "Requests that failed to reach the upstream.", upstreamFailures.sum());
        single(sb, "mlflow_secrets_auth_proxy_credential_failures_total", "Requests answered 502 because no credential could be fetched.", credentialFailures.sum());
        single(sb, "mlflow_secrets_auth_cache_hits_total", "Credential lookups served from memory.", cache.hits());
        single(sb, "mlflow_secrets_auth_cache_waits_total", "Credential lookups that waited for a fetch.", cache.waits());
        single(sb, "mlflow_secrets_auth_cache_stale_served_total", "Expired credentials served while the backend failed.", cache.staleServed());
        single(sb, "mlflow_secrets_auth_refreshes_total", "Backend fetches started.", cache.loads());
        single(sb, "mlflow_secrets_auth_refresh_failures_total", "Backend fetches that failed.", cache.failures());
        single(sb, "mlflow_secrets_auth_invalidations_total", "Credentials dropped after a 401/403 or a cache clear.", cache.invalidations());
        sb.append("# HELP mlflow_secrets_auth_fetch_seconds Time spent fetching secrets from the backend.\n");
        sb.append("# TYPE mlflow_secrets_auth_fetch_seconds summary\n");
        sb.append("mlflow_secrets_auth_fetch_seconds_sum ").append(cache.fetchNanosTotal() / 1e9).append('\n');
        sb.append("mlflow_secrets_auth_fetch_seconds_count ").append(cache.completedFetches()).append('\n');
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n");
    }

    private static void single(StringBuilder sb, String name, String help, long value) {
        counter(sb, name, help);
        sb.append(name).append(' ').append(value).append('\n');
    }
}
