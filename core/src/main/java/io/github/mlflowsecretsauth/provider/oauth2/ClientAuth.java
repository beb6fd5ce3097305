package io.github.mlflowsecretsauth.provider.oauth2;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.util.Locale;

/** How the client proves itself to the token endpoint ({@code MLFLOW_OAUTH2_CLIENT_AUTH}); names as in OIDC discovery. */
enum ClientAuth {
    /** RFC 6749 §2.3.1: {@code Authorization: Basic} of the form-url-encoded id and secret; the default. */
    CLIENT_SECRET_BASIC("client_secret_basic"),
    /** RFC 6749 §2.3.1: {@code client_id} and {@code client_secret} in the form body. */
    CLIENT_SECRET_POST("client_secret_post"),
    /** RFC 7523 §2.2: a JWT signed with the client's private key, {@code MLFLOW_OAUTH2_CLIENT_KEY_PATH}. */
    PRIVATE_KEY_JWT("private_key_jwt");

    private final String id;

    ClientAuth(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    boolean usesSecret() {
        return this != PRIVATE_KEY_JWT;
    }

    static ClientAuth parse(String raw, String variable) {
        for (ClientAuth a : values()) {
            if (a.id.equals(raw.strip().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new ConfigurationException(variable + " must be client_secret_basic (the default), client_secret_post or private_key_jwt");
    }
}
