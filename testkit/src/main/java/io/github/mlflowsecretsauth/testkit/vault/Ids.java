package io.github.mlflowsecretsauth.testkit.vault;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Random identifiers shaped like Vault's: {@code hvs.}-prefixed service tokens, 24-character
 * accessors, UUIDs for request ids.
 *
 * <p>Thread-safe: {@link SecureRandom} is thread-safe.
 */
final class Ids {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    static String serviceToken() {
        return "hvs." + random(24);
    }

    static String accessor() {
        return random(24);
    }

    static String uuid() {
        return UUID.randomUUID().toString();
    }

    static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
