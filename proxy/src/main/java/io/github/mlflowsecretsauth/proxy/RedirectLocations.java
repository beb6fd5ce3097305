package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.internal.Hosts;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What a client gets for the upstream's redirects. The proxy never follows one; clients may, and some (the official
 * MLflow Java client) send their {@code Authorization} along to any host. So:
 * <ul>
 *   <li>a {@code Location} on the upstream itself (its scheme, host and port, under its path prefix) becomes a path on
 *       the proxy, so the client stays on the proxy and the credential is added again there, rather than going to the
 *       server directly with whatever it sent the proxy (its client token);</li>
 *   <li>a {@code Location} elsewhere is passed on to a client that sent no {@code Authorization} (a browser, nothing to
 *       leak); a client that sent one gets a 502 with a JSON error naming the other host, and no {@code Location}.</li>
 * </ul>
 * Immutable.
 */
final class RedirectLocations {
    private final String scheme;
    private final String host;
    private final int port;
    private final String prefix;

    RedirectLocations(URI upstream) {
        this.scheme = upstream.getScheme().toLowerCase(Locale.ROOT);
        this.host = Hosts.hostOf(upstream).orElseThrow();
        this.port = Hosts.effectivePort(upstream);
        String path = upstream.getRawPath() == null ? "" : upstream.getRawPath();
        this.prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Rewrites or refuses the redirect in {@code response} (headers copied from the upstream, not yet committed).
     *
     * @return the JSON body to send instead of the upstream's, or null to pass the response on
     */
    String apply(Request request, Response response) {
        int status = response.getStatus();
        String location = response.getHeaders().get(HttpHeader.LOCATION);
        if (status < 300 || status > 399 || location == null) {
            return null;
        }
        String mapped = onProxy(location.trim());
        if (mapped != null) {
            response.getHeaders().put(HttpHeader.LOCATION, mapped);
            return null;
        }
        if (!request.getHeaders().contains(HttpHeader.AUTHORIZATION)) {
            return null;
        }
        response.setStatus(HttpStatus.BAD_GATEWAY_502);
        response.getHeaders().remove(HttpHeader.LOCATION);
        response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
        response.getHeaders().remove(HttpHeader.CONTENT_ENCODING);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        return Json.error("REDIRECT_REFUSED", "mlflow-secrets-auth: the MLflow server answered HTTP " + status
                + " with a redirect to another server (" + authority(location) + "), which is not passed to a client that "
                + "sends Authorization (it could send it there): check the tracking URI, or the server's redirect");
    }

    /** The location as a path on the proxy, or null when it points off the upstream. */
    String onProxy(String location) {
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            return null;
        }
        if (uri.getRawAuthority() == null && uri.getScheme() == null) {
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            return path.startsWith("/") ? withoutPrefix(path, uri) : location; // relative: stays on the proxy as it is
        }
        String s = uri.getScheme() == null ? scheme : uri.getScheme().toLowerCase(Locale.ROOT); // "//host/x" keeps ours
        int p = uri.getPort() >= 0 ? uri.getPort() : s.equals("https") ? 443 : 80;
        if (!s.equals(scheme) || uri.getHost() == null || uri.getRawUserInfo() != null || p != port
                || !Hosts.hostOf(uri).map(host::equalsIgnoreCase).orElse(false)) {
            return null;
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/") ? withoutPrefix(path, uri) : null;
    }

    private String withoutPrefix(String path, URI uri) {
        String p = !prefix.isEmpty() && (path.equals(prefix) || path.startsWith(prefix + "/")) ? path.substring(prefix.length()) : path;
        return (p.isEmpty() ? "/" : p) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                + (uri.getRawFragment() == null ? "" : "#" + uri.getRawFragment());
    }

    private static String authority(String location) {
        try {
            URI uri = new URI(location);
            return uri.getHost() == null ? "an unreadable location" : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return "an unreadable location";
        }
    }
}
