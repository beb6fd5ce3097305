package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.ConfigurationException;

/** Checks header names against the HTTP token grammar (RFC 9110, section 5.6.2). Stateless. */
public final class HeaderNames {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

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
        return name;
    }
}
