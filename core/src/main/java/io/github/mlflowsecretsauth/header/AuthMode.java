package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.util.Locale;

/** How a credential becomes a header value. */
public enum AuthMode {
    /** {@code Bearer <token>}, the default. */
    BEARER,
    /** {@code Basic base64(username:password)}. */
    BASIC,
    /** The bare token, for API-key gateways ({@code X-Api-Key: <token>}). */
    RAW;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code bearer|basic|raw}, case-insensitive; {@code variable} names the setting in errors. */
    public static AuthMode parse(String value, String variable) {
        for (AuthMode m : values()) {
            if (m.id().equalsIgnoreCase(value.strip())) {
                return m;
            }
        }
        // The value is not echoed: a secret pasted into the wrong variable must not reach a message.
        throw new ConfigurationException(variable + " must be one of bearer, basic, raw");
    }
}
