package io.github.mlflowsecretsauth.internal;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** A URI's host and port as the allowlist, the proxy and the signer read them: one reading for all. */
public final class Hosts {
    private Hosts() {
    }

    /** The URI's host, lower-case, without IPv6 brackets or a trailing dot; also for names java.net.URI rejects (underscores). */
    public static Optional<String> hostOf(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            String auth = uri.getRawAuthority();
            if (auth == null) {
                return Optional.empty();
            }
            int at = auth.lastIndexOf('@');
            host = at >= 0 ? auth.substring(at + 1) : auth;
            if (!host.startsWith("[")) {
                int colon = host.lastIndexOf(':');
                host = colon >= 0 ? host.substring(0, colon) : host;
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.isEmpty() ? Optional.empty() : Optional.of(host.toLowerCase(Locale.ROOT));
    }

    /** The explicit port, else the scheme's default (80, 443), else -1. */
    public static int effectivePort(URI uri) {
        int p = uri.getPort();
        if (p < 0 && uri.getHost() == null && uri.getRawAuthority() != null) {
            String auth = uri.getRawAuthority();
            int colon = auth.lastIndexOf(':');
            if (colon > auth.lastIndexOf(']')) {
                try {
                    p = Integer.parseInt(auth.substring(colon + 1));
                } catch (NumberFormatException ignored) {
                    p = -1;
                }
            }
        }
        if (p >= 0) {
            return p;
        }
        String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    /** The {@code Host} header for {@code uri}: its host (IPv6 in brackets), and the port unless it is the scheme's default. */
    public static String hostHeader(URI uri) {
        String host = hostOf(uri).orElseThrow(() -> new IllegalArgumentException("no host in " + uri.getScheme() + " URI"));
        int port = effectivePort(uri);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String h = host.contains(":") ? "[" + host + "]" : host;
        return defaultPort ? h : h + ":" + port;
    }
}
