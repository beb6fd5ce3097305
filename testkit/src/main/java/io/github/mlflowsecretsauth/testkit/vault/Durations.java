package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vault's duration syntax: a bare number is seconds, otherwise Go-style units such as
 * {@code "1h30m"}, {@code "90s"} or {@code "2d"}; and Go's way of printing a duration
 * ({@code "1h0m0s"}) for warnings.
 *
 * <p>Thread-safe: stateless.
 */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)");

    private Durations() {}

    /** Parses a JSON string or number; {@code null}/missing gives {@code null}. */
    static Duration parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return Duration.ofSeconds(node.asLong());
        }
        return parse(node.asText());
    }

    /**
     * Parses {@code "3600"}, {@code "1h"}, {@code "1h30m"} and the like.
     *
     * @throws IllegalArgumentException if the text is not a duration
     */
    static Duration parse(String text) {
        String value = text.strip();
        if (value.isEmpty()) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        Matcher matcher = PART.matcher(value);
        long nanos = 0;
        int end = 0;
        while (matcher.find()) {
            if (matcher.start() != end) {
                throw new IllegalArgumentException("invalid duration " + text);
            }
            end = matcher.end();
            double amount = Double.parseDouble(matcher.group(1));
            nanos += (long) (amount * unitNanos(matcher.group(2)));
        }
        if (end != value.length() || end == 0) {
            throw new IllegalArgumentException("invalid duration " + text);
        }
        return Duration.ofNanos(nanos);
    }

    /** Go's {@code time.Duration.String()} for whole seconds: {@code 1h0m0s}, {@code 30m0s}, {@code 45s}. */
    static String goString(Duration duration) {
        long seconds = duration.getSeconds();
        long hours = seconds / 3600;
        long minutes = (seconds % 3600) / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + rest + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + rest + "s";
        }
        return rest + "s";
    }

    private static long unitNanos(String unit) {
        switch (unit) {
            case "ns":
                return 1L;
            case "us":
            case "µs":
                return 1_000L;
            case "ms":
                return 1_000_000L;
            case "s":
                return 1_000_000_000L;
            case "m":
                return 60_000_000_000L;
            case "h":
                return 3_600_000_000_000L;
            default:
                return 86_400_000_000_000L;
        }
    }
}
