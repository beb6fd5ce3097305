package io.github.mlflowsecretsauth.proxy;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the proxy from being an open relay: refuses {@code CONNECT}, {@code TRACE} (its echo would show the
 * credential), paths with dot segments (they could leave an upstream's path prefix), and any request whose target host
 * (absolute-form, or {@code Host}) is not this proxy itself, which also defeats DNS rebinding from a
 * browser. A state-changing or admin request that a browser sends for another site's page ({@link CrossSite}) is
 * refused with 403 before anything else is checked. With a client token configured, requests must carry it as
 * {@code Authorization: Bearer}.
 * The proxy's own endpoints under {@code /__mlflow-secrets-auth/} go to {@link AdminEndpoints}.
 * Thread-safe.
 */
final class GuardHandler extends Handler.Wrapper {
    static final String PREFIX = "/__mlflow-secrets-auth/";

    private final Set<String> ownHosts;
    private final Optional<byte[]> clientToken;
    private final AdminEndpoints admin;
    private final ProxyMetrics metrics;

    GuardHandler(Set<String> ownHosts, Optional<String> clientToken, AdminEndpoints admin, ProxyMetrics metrics, Handler next) {
        super(next);
        this.ownHosts = ownHosts;
        this.clientToken = clientToken.map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
        this.admin = admin;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        metrics.request(request.getMethod());
        if (HttpMethod.CONNECT.is(request.getMethod())) {
            return refuse(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    "CONNECT is not supported: this is a reverse proxy for one MLflow server, not a forward proxy");
        }
        if (request.getMethod().equals("TRACE") || request.getMethod().equals("TRACK")) {
            // The server's echo would carry the credential this proxy adds back to the client.
            return refuse(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405,
                    request.getMethod() + " is not forwarded: the server's echo would reveal the credential");
        }
        if (hasDotSegment(request.getHttpURI().getPath())) {
            return refuse(request, response, callback, HttpStatus.BAD_REQUEST_400,
                    "the path has a '.' or '..' segment, which could step outside the MLflow server's path: send a normalised path");
        }
        String host = request.getHttpURI().getHost();
        if (host == null || !ownHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return refuse(request, response, callback, HttpStatus.MISDIRECTED_REQUEST_421,
                    "this proxy only forwards to its configured MLflow server; send requests to the proxy's own address");
        }
        String path = request.getHttpURI().getPath();
        if (CrossSite.guarded(request, path) && CrossSite.fromAnotherSite(request, ownHosts)) {
            return refuse(request, response, callback, HttpStatus.FORBIDDEN_403,
                    "a browser sent this request for another site's page (Sec-Fetch-Site: cross-site, or an Origin that is "
                            + "not this proxy's own), which this proxy refuses: open the MLflow UI at the proxy's own address");
        }
        if (clientToken.isPresent()) {
            String given = request.getHeaders().get(HttpHeader.AUTHORIZATION);
            if (given == null || !MessageDigest.isEqual(clientToken.get(), given.getBytes(StandardCharsets.UTF_8))) {
                return refuse(request, response, callback, HttpStatus.UNAUTHORIZED_401,
                        "this proxy needs its client token: send Authorization: Bearer <token> (MLFLOW_TRACKING_TOKEN)");
            }
        }
        if (path != null && path.startsWith(PREFIX)) {
            return admin.handle(path.substring(PREFIX.length()), request, response, callback);
        }
        return super.handle(request, response, callback);
    }

    /** Whether a raw path has a {@code .} or {@code ..} segment, percent-encoded or not. */
    static boolean hasDotSegment(String rawPath) {
        if (rawPath == null || (rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0)) {
            return false; // the common case, decided without allocating: no dot, plain or encoded
        }
        for (String segment : rawPath.split("/", -1)) {
            String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            int params = s.indexOf(';'); // "..;x" is ".." with a path parameter to many servers
            s = params >= 0 ? s.substring(0, params) : s;
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private boolean refuse(Request request, Response response, Callback callback, int status, String message) {
        metrics.refused.increment();
        AdminEndpoints.json(response, callback, status, Json.error("PROXY_REFUSED", message));
        return true;
    }
}
