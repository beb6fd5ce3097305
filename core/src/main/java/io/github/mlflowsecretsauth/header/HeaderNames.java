package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.util.Locale;
import java.util.Set;

/**
 * Checks header names against the HTTP token grammar (RFC 9110, section 5.6.2), and keeps the credential
 * out of the names that frame a message or belong to one hop only. Stateless.
 */
public final class HeaderNames {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";
    /**
     * Names a credential header must not take: they frame the message (Host, Content-Length,
     * Transfer-Encoding, Trailer) or are hop-by-hop (RFC 9110 section 7.6.1, and the legacy
     * Proxy-Connection and Keep-Alive), so a proxy drops or re-writes them and a value there would break
     * or smuggle the request. Proxy-Authorization stays allowed: Google's IAP reads it.
     */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection", "upgrade",
            "te", "trailer", "proxy-connection", "keep-alive");

    private HeaderNames() {
    }

    public static boolean isToken(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || TCHAR_SYMBOLS.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Returns {@code name} if it is a valid header name, else a configuration error naming {@code variable}. */
    public static String validate(String name, String variable) {
        if (!isToken(name)) {
            throw new ConfigurationException(variable + " must be a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only, "
                    + "no spaces or colons), such as Authorization or X-MLflow-Auth");
        }
        if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new ConfigurationException(variable + " must not be a message-framing or hop-by-hop header (Host, Content-Length, "
                    + "Transfer-Encoding, Connection, Upgrade, TE, Trailer, Proxy-Connection, Keep-Alive): any other header "
                    + "name is allowed, such as Authorization, Proxy-Authorization or X-MLflow-Auth");
        }
        return name;
    }
}
