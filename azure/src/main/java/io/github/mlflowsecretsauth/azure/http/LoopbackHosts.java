package io.github.mlflowsecretsauth.azure.http;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells whether a host name is this machine's loopback ({@code localhost}, {@code 127.0.0.0/8},
 * {@code ::1}) from its text alone, without a DNS look-up. Stateless.
 */
public final class LoopbackHosts {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private LoopbackHosts() {
    }

    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || IPV4_LOOPBACK.matcher(h).matches()
                || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }
}
