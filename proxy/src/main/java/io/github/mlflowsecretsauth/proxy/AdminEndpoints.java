package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cache.RefreshingCache;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.redact.Redactor;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own endpoints: {@code health} (credential state, never its value), {@code metrics}
 * (Prometheus text) and {@code cache/clear} (POST, from loopback only). Thread-safe.
 */
final class AdminEndpoints {
    private final SecretsAuth auth;
    private final Upstream upstream;
    private final ProxyMetrics metrics;

    AdminEndpoints(SecretsAuth auth, Upstream upstream, ProxyMetrics metrics) {
        this.auth = auth;
        this.upstream = upstream;
        this.metrics = metrics;
    }

    boolean handle(String endpoint, Request request, Response response, Callback callback) {
        switch (endpoint) {
            case "health" -> health(response, callback);
            case "metrics" -> {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                response.write(true, ByteBuffer.wrap(metrics.render(auth.cacheStats()).getBytes(StandardCharsets.UTF_8)), callback);
            }
            case "cache/clear" -> {
                if (!HttpMethod.POST.is(request.getMethod())) {
                    json(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, Json.error("METHOD_NOT_ALLOWED", "use POST"));
                } else if (!fromLoopback(request)) {
                    json(response, callback, HttpStatus.FORBIDDEN_403, Json.error("FORBIDDEN", "cache/clear is allowed from loopback only"));
                } else {
                    boolean now = auth.clearCache();
                    json(response, callback, 200, Json.object().put("cleared", true).put("deferred", !now).toString());
                }
            }
            default -> json(response, callback, HttpStatus.NOT_FOUND_404,
                    Json.error("ENDPOINT_NOT_FOUND", "known endpoints: health, metrics, cache/clear"));
        }
        return true;
    }

    private void health(Response response, Callback callback) {
        ObjectNode body = Json.object();
        ObjectNode credential = Json.object();
        int status = 200;
        try {
            String provider = auth.currentSnapshot().provider();
            RefreshingCache.Status s = auth.cacheStatus();
            credential.put("state", s.state().name()).put("provider", provider);
            s.fetchedAt().ifPresent(t -> credential.put("fetched_at", t.toString()));
            s.refreshAt().ifPresent(t -> credential.put("refresh_at", t.toString()));
            s.expiresAt().ifPresent(t -> credential.put("expires_at", t.toString()));
        } catch (SecretsAuthException e) {
            status = 503;
            credential.put("state", "UNAVAILABLE").put("error", Redactor.oneLine(e.getMessage(), 400));
        }
        body.put("status", status == 200 ? "ok" : "degraded").put("upstream", upstream.toString()).set("credential", credential);
        json(response, callback, status, body.toString());
    }

    private static boolean fromLoopback(Request request) {
        if (request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a) {
            InetAddress addr = a.getAddress();
            return addr != null && addr.isLoopbackAddress();
        }
        return false;
    }

    static void json(Response response, Callback callback, int status, String body) {
        Json.send(response, status, body, callback);
    }
}
