package io.github.mlflowsecretsauth.bench.dataplane;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) that a proxy does not pass on. {@code Transfer-Encoding} stays: the parts are
 * passed on as they were framed, and the codec on the other side frames them the same way.
 */
final class Hop {
    private Hop() {
    }

    static void strip(HttpHeaders h) {
        String connection = h.get(HttpHeaderNames.CONNECTION);
        if (connection != null) {
            for (String name : connection.split(",")) {
                String n = name.trim();
                if (!n.isEmpty() && !n.equalsIgnoreCase("close") && !n.equalsIgnoreCase("keep-alive")) {
                    h.remove(n);
                }
            }
        }
        h.remove(HttpHeaderNames.CONNECTION).remove(HttpHeaderNames.KEEP_ALIVE).remove("Proxy-Connection")
                .remove(HttpHeaderNames.TE).remove(HttpHeaderNames.TRAILER).remove(HttpHeaderNames.UPGRADE);
    }
}
