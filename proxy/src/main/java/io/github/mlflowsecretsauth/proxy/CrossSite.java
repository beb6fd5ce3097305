package io.github.mlflowsecretsauth.proxy;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises a request that a browser sends on behalf of another site's page (a forged form post, a hostile page
 * probing localhost): {@code Sec-Fetch-Site: cross-site}, or an {@code Origin} that is not the proxy's own origin
 * (its scheme, one of its own host names, and the port the request came to). Only state-changing methods (anything
 * but GET, HEAD and OPTIONS) and the proxy's own endpoints are guarded, so links into the MLflow UI from elsewhere
 * still open, and the UI's own calls (same origin) pass. Non-browser clients send neither header. Stateless.
 */
final class CrossSite {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private CrossSite() {
    }

    /** Whether {@code request} is one that a cross-site browser request must not make. */
    static boolean guarded(Request request, String path) {
        return !SAFE_METHODS.contains(request.getMethod()) || (path != null && path.startsWith(GuardHandler.PREFIX));
    }

    /** Whether a browser says it sends {@code request} for another site, or for an origin other than this proxy. */
    static boolean fromAnotherSite(Request request, Set<String> ownHosts) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && site.trim().equalsIgnoreCase("cross-site")) {
            return true;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        return origin != null && !isOwnOrigin(origin.trim(), request.isSecure() ? "https" : "http",
                Request.getLocalPort(request), ownHosts);
    }

    /** {@code origin} is {@code scheme://host[:port]} with this proxy's scheme, one of its hosts and its port. */
    static boolean isOwnOrigin(String origin, String scheme, int port, Set<String> ownHosts) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false; // "null" (a sandboxed or file: page) and anything malformed are not this proxy
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
            return false;
        }
        String s = uri.getScheme().toLowerCase(Locale.ROOT);
        int p = uri.getPort() >= 0 ? uri.getPort() : s.equals("https") ? 443 : s.equals("http") ? 80 : -1;
        return s.equals(scheme) && p == port && ownHosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
    }
}
