package io.github.mlflowsecretsauth.proxy;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Fresh per-run client tokens for a loopback proxy that must serve only its own client (the one {@code exec} starts
 * and the one the library embeds): 32 bytes from {@link SecureRandom}, base64url without padding (43 characters),
 * for {@link AuthProxy.Builder#clientToken(String)}. The client sends it as {@code Authorization: Bearer <token>};
 * the proxy compares it in constant time and never forwards it. Thread-safe.
 */
public final class ClientToken {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ClientToken() {
    }

    /** A new random token; never logged or printed by this project. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The {@code Authorization} value a client sends for {@code token}. */
    public static String authorization(String token) {
        return "Bearer " + token;
    }
}
