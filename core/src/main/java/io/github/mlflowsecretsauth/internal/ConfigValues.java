package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed readers over {@link Settings}. Every failure is a {@link ConfigurationException} whose
 * one-line message names the variable and says what is expected. Values of variables that may hold
 * credentials (URLs with user info) are never echoed.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    public static String required(Settings s, String name, String hint) {
        return s.get(name).orElseThrow(() -> new ConfigurationException(name + " is not set: " + hint));
    }

    /** A positive whole number of seconds; {@code fallback} when unset. */
    public static Duration positiveSeconds(Settings s, String name, long fallback) {
        long seconds = positiveLong(s, name, fallback, "a whole number of seconds");
        if (seconds > MAX_SECONDS) { // beyond a year the cache's millisecond arithmetic would overflow soon after
            throw new ConfigurationException(name + " must be at most " + MAX_SECONDS + " seconds (a year)");
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}: the one total deadline of every backend call (connect, headers and
     * body), 1..600 s, default 10. The only reader of that setting.
     */
    public static Duration fetchTimeout(Settings s) {
        return secondsWithin(s, ConfigKeys.FETCH_TIMEOUT_SEC, ConfigKeys.DEFAULT_FETCH_TIMEOUT_SEC,
                ConfigKeys.MAX_FETCH_TIMEOUT_SEC);
    }

    /** A whole number of seconds in 1..{@code max}, {@code fallback} when unset. */
    public static Duration secondsWithin(Settings s, String name, long fallback, long max) {
        long seconds = positiveLong(s, name, fallback, "a whole number of seconds");
        if (seconds > max) {
            throw new ConfigurationException(name + " must be at most " + max + " seconds");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The largest duration setting accepted: one year. */
    public static final long MAX_SECONDS = 365L * 24 * 3600;

    public static long positiveLong(Settings s, String name, long fallback, String what) {
        Optional<String> v = s.get(name);
        if (v.isEmpty()) {
            return fallback;
        }
        long n = parseLong(name, v.get(), what);
        if (n <= 0) {
            throw new ConfigurationException(name + " must be a positive " + what.replaceFirst("^a ", ""));
        }
        return n;
    }

    public static long nonNegativeLong(Settings s, String name, long fallback, long max, String what) {
        Optional<String> v = s.get(name);
        if (v.isEmpty()) {
            return fallback;
        }
        long n = parseLong(name, v.get(), what);
        if (n < 0 || n > max) {
            throw new ConfigurationException(name + " must be between 0 and " + max);
        }
        return n;
    }

    private static long parseLong(String name, String raw, String what) {
        if (!raw.matches("-?[0-9]{1,18}")) { // ASCII digits only: Long.parseLong also takes other scripts' digits
            throw new ConfigurationException(name + " must be " + what + " (the value set is not a number)");
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(name + " must be " + what + " (the value set is not a number)");
        }
    }

    /** true/false, yes/no, on/off, 1/0; {@code fallback} when unset. */
    public static boolean bool(Settings s, String name, boolean fallback) {
        Optional<String> v = s.get(name);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigurationException(name + " must be true or false (also accepted: yes/no, on/off, 1/0)");
        };
    }

    /** Whether a toggle is explicitly set, and to what. */
    public static Optional<Boolean> toggle(Settings s, String name) {
        return s.isSet(name) ? Optional.of(bool(s, name, false)) : Optional.empty();
    }

    /**
     * An absolute http(s) URL with a host. The value is not echoed in the error, since URLs can
     * carry user info.
     */
    public static URI httpUrl(Settings s, String name) {
        return httpUrl(name, required(s, name, "set it to an http(s) URL such as https://vault.company.com"));
    }

    public static URI httpUrl(String name, String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigurationException(name + " is not a valid URL: expected http(s)://host[:port][/path]");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConfigurationException(name + " must be an http or https URL: expected http(s)://host[:port][/path]");
        }
        if (uri.getHost() == null && (uri.getRawAuthority() == null || uri.getRawAuthority().isBlank())) {
            throw new ConfigurationException(name + " has no host: expected http(s)://host[:port][/path]");
        }
        String authority = uri.getRawAuthority();
        if (uri.getRawUserInfo() != null || (authority != null && authority.contains("@"))) {
            throw new ConfigurationException(name + " must not carry user info (user:password@): keep credentials in the secret manager");
        }
        // java.net.URI accepts host:0x50 or host:99999 as a registry-based authority; a URL needs a real port.
        int colon = authority.lastIndexOf(':');
        if (colon > authority.lastIndexOf(']')) {
            String port = authority.substring(colon + 1);
            if (!port.isEmpty() && (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
                throw new ConfigurationException(name + " has an invalid port: expected http(s)://host[:port][/path] "
                        + "with a port from 1 to 65535");
            }
        }
        return uri;
    }
}
