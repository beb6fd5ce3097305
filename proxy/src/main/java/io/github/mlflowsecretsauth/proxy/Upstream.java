package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.internal.Hosts;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import org.eclipse.jetty.http.HttpURI;

import java.net.URI;

/**
 * The one server the proxy forwards to. An upstream with a path prefix ({@code https://host/mlflow})
 * has the prefix put in front of every forwarded path. Immutable.
 */
final class Upstream {
    private final URI uri;
    private final String scheme;
    private final String host;
    private final int port;
    private final String prefix;
    private final String hostHeader; // computed once: it is read on every proxied request

    Upstream(URI uri) {
        URI u = ConfigValues.httpUrl("--upstream", uri.toString());
        this.uri = u;
        this.scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
        this.host = Hosts.hostOf(u).orElseThrow();
        this.port = Hosts.effectivePort(u);
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        this.prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.hostHeader = Hosts.hostHeader(u);
    }

    URI uri() {
        return uri;
    }

    /** The {@code Host} header the upstream expects: its host, and the port unless it is the scheme's default. */
    String hostHeader() {
        return hostHeader;
    }

    /** The upstream URI for a client request's path and query. */
    HttpURI rewrite(HttpURI clientUri) {
        String path = clientUri.getPath(); // raw, still percent-encoded
        return HttpURI.build().scheme(scheme).host(host.contains(":") ? "[" + host + "]" : host).port(port)
                .path(prefix + (path == null || path.isEmpty() ? "/" : path)).query(clientUri.getQuery()).asImmutable();
    }

    @Override
    public String toString() {
        return uri.toString();
    }
}
