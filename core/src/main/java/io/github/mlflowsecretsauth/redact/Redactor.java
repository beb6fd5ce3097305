package io.github.mlflowsecretsauth.redact;

import java.util.Collection;

/**
 * Masks secret values for display. The masked form follows the seed FAQ ({@code eyJh********cCI6}):
 * the first and last four characters of a long value, stars in between; short values are all stars,
 * since four plus four characters would reveal too much of them. Stateless and thread-safe.
 */
public final class Redactor {
    /** Values shorter than this are masked completely. */
    public static final int MIN_PARTIAL_LENGTH = 24;
    public static final String STARS = "********";

    private static final java.util.Set<String> SCHEMES = java.util.Set.of("bearer", "basic", "token", "digest", "aws4-hmac-sha256");

    private Redactor() {
    }

    /** Masks one secret value. {@code null} becomes {@code <none>}. */
    public static String mask(String value) {
        if (value == null) {
            return "<none>";
        }
        if (value.length() < MIN_PARTIAL_LENGTH) {
            return STARS;
        }
        return value.substring(0, 4) + STARS + value.substring(value.length() - 4);
    }

    /**
     * Masks a header value but keeps its scheme visible: {@code Bearer eyJh********cCI6},
     * {@code Basic ********}. A value without a scheme is masked whole.
     */
    public static String maskHeaderValue(String headerValue) {
        if (headerValue == null) {
            return "<none>";
        }
        int space = headerValue.indexOf(' ');
        if (space > 0 && SCHEMES.contains(headerValue.substring(0, space).toLowerCase(java.util.Locale.ROOT))) {
            return headerValue.substring(0, space + 1) + mask(headerValue.substring(space + 1));
        }
        return mask(headerValue);
    }

    /** Replaces every occurrence of each known secret in {@code text} with its masked form. */
    public static String scrub(String text, Collection<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, mask(secret));
            }
        }
        return out;
    }

    /** Replaces every value {@code known} holds in {@code text} with its masked form: for text from outside. */
    public static String scrub(String text, KnownSecrets known) {
        return known.scrub(text);
    }

    /**
     * Makes text that came from outside (a server's error message, a file name) safe for a one-line
     * message: control characters become spaces and it is cut to {@code max} characters.
     */
    public static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && sb.length() < max; i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > max) {
            sb.append("...");
        }
        return sb.toString().trim();
    }
}
