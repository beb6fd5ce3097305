package io.github.mlflowsecretsauth;

import io.github.mlflowsecretsauth.allowlist.HostAllowlist;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.header.HeaderNames;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The shared settings, parsed and validated: which providers are enabled, the header name, the
 * host allowlist, retries, the stale-if-error grace and the tracking URI. Immutable.
 *
 * @param enabled        provider names switched on by {@code MLFLOW_SECRETS_AUTH_ENABLE} and the per-provider toggles
 * @param activated      whether {@code MLFLOW_TRACKING_AUTH=mlflow_secrets_auth} switches the zero-code paths on
 * @param headerName     {@code MLFLOW_AUTH_HEADER_NAME}, default {@code Authorization}
 * @param allowlist      {@code MLFLOW_SECRETS_ALLOWED_HOSTS}
 * @param trackingUri    {@code MLFLOW_TRACKING_URI}, if set
 * @param maxRetries     {@code MLFLOW_SECRETS_MAX_RETRIES}, retries of a transient backend failure
 * @param staleIfError   {@code MLFLOW_SECRETS_STALE_IF_ERROR_SEC}
 * @param fetchTimeout   {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}, the total deadline of one backend call
 * @param logLevel       {@code MLFLOW_SECRETS_LOG_LEVEL}, normalised (WARNING becomes WARN)
 */
public record SecretsAuthConfig(Set<String> enabled, boolean activated, String headerName, HostAllowlist allowlist,
                                Optional<URI> trackingUri, int maxRetries, Duration staleIfError,
                                Duration fetchTimeout, Optional<String> logLevel) {

    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** Parses and validates; {@code knownProviders} are the names that may be enabled. */
    public static SecretsAuthConfig parse(Settings s, Collection<String> knownProviders) {
        Set<String> enabled = new LinkedHashSet<>();
        s.get(ConfigKeys.ENABLE).ifPresent(list -> {
            for (String raw : list.split(",")) {
                String name = raw.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!knownProviders.contains(name)) {
                    throw new ConfigurationException(ConfigKeys.ENABLE + ": unknown provider "
                            + (name.matches("[a-z-]{1,24}") ? "'" + name + "'" : "name (not shown)")
                            + ": expected a comma list of " + String.join(", ", knownProviders));
                }
                enabled.add(name);
            }
        });
        for (String toggle : s.namesStartingWith(ConfigKeys.ENABLE_PREFIX)) {
            if (knownProviders.stream().noneMatch(n -> ConfigKeys.toggle(n).equals(toggle))) {
                throw new ConfigurationException(toggle + " names no known provider: use one of "
                        + String.join(", ", knownProviders.stream().map(ConfigKeys::toggle).toList()));
            }
        }
        for (String name : knownProviders) {
            ConfigValues.toggle(s, ConfigKeys.toggle(name)).ifPresent(on -> {
                if (on) {
                    enabled.add(name);
                } else {
                    enabled.remove(name);
                }
            });
        }
        String headerName = HeaderNames.validate(s.get(ConfigKeys.HEADER_NAME).orElse(ConfigKeys.DEFAULT_HEADER_NAME),
                ConfigKeys.HEADER_NAME);
        HostAllowlist allowlist = HostAllowlist.parse(s.get(ConfigKeys.ALLOWED_HOSTS).orElse(""), ConfigKeys.ALLOWED_HOSTS);
        int retries = (int) ConfigValues.nonNegativeLong(s, ConfigKeys.MAX_RETRIES, ConfigKeys.DEFAULT_MAX_RETRIES, 10,
                "a whole number");
        Duration grace = Duration.ofSeconds(ConfigValues.nonNegativeLong(s, ConfigKeys.STALE_IF_ERROR_SEC,
                ConfigKeys.DEFAULT_STALE_IF_ERROR_SEC, 7 * 24 * 3600, "a whole number of seconds"));
        boolean activated = s.get(ConfigKeys.TRACKING_AUTH).map(v -> v.equalsIgnoreCase(ConfigKeys.TRACKING_AUTH_VALUE))
                .orElse(false);
        return new SecretsAuthConfig(Set.copyOf(enabled), activated, headerName, allowlist, trackingUri(s), retries, grace,
                ConfigValues.fetchTimeout(s), logLevel(s));
    }

    private static Optional<URI> trackingUri(Settings s) {
        Optional<String> raw = s.get(ConfigKeys.TRACKING_URI);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        String v = raw.get();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("http:") || lower.startsWith("https:")) {
            return Optional.of(ConfigValues.httpUrl(ConfigKeys.TRACKING_URI, v));
        }
        try {
            return Optional.of(new URI(v)); // file:, databricks, sqlite: ... are MLflow's business, not ours
        } catch (URISyntaxException e) {
            throw new ConfigurationException(ConfigKeys.TRACKING_URI + " is not a valid URI: expected http(s)://host[:port][/path]");
        }
    }

    private static Optional<String> logLevel(Settings s) {
        return s.get(ConfigKeys.LOG_LEVEL).map(v -> {
            String up = v.toUpperCase(Locale.ROOT);
            if (up.equals("WARNING")) {
                up = "WARN";
            }
            if (up.equals("CRITICAL")) {
                up = "ERROR";
            }
            if (!LEVELS.contains(up)) {
                throw new ConfigurationException(ConfigKeys.LOG_LEVEL + " must be one of DEBUG, INFO, WARNING, ERROR");
            }
            return up;
        });
    }

    /** The tracking URI as it may be shown: any user info (a database password, say) is masked. */
    public Optional<String> trackingUriForDisplay() {
        return trackingUri.map(SecretsAuthConfig::withoutUserInfo);
    }

    static String withoutUserInfo(URI u) {
        String auth = u.getRawAuthority();
        int at = auth == null ? -1 : auth.lastIndexOf('@');
        if (at < 0) {
            return u.toString();
        }
        // From the raw authority: java.net.URI leaves user info null for hosts such as db_server.
        return u.toString().replace(auth.substring(0, at + 1), "****@");
    }

    @Override
    public String toString() {
        return "SecretsAuthConfig{enabled=" + enabled + ", activated=" + activated + ", headerName=" + headerName
                + ", allowlist=" + allowlist + ", trackingUri=" + trackingUriForDisplay().orElse("<none>")
                + ", maxRetries=" + maxRetries + ", staleIfError=" + staleIfError + ", fetchTimeout=" + fetchTimeout + ", logLevel=" + logLevel.orElse("<default>") + "}";
    }

    /** Whether the tracking URI is a remote http(s) server. */
    public boolean isRemote() {
        return trackingUri.map(u -> u.getScheme() != null && u.getScheme().toLowerCase(Locale.ROOT).startsWith("http"))
                .orElse(false);
    }
}
