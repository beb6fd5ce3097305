package io.github.mlflowsecretsauth.gcp.secretmanager;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which version to access, from {@code MLFLOW_GCP_SECRET_VERSION} (or a {@code /versions/V} suffix of
 * the resource name): {@code latest} (the default: the most recently created version), a version
 * number, or a version alias. Immutable.
 *
 * @param value    what goes into {@code versions/<value>:access}
 * @param explicit whether it was set
 */
public record VersionSelector(String value, boolean explicit) {
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,18}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

    static VersionSelector parse(Optional<String> setting, Optional<String> fromName) {
        if (setting.isPresent() && fromName.isPresent() && !setting.get().equals(fromName.get())) {
            throw new ConfigurationException(GcpConfigKeys.SECRET_VERSION + " and the /versions/ part of " + GcpConfigKeys.SECRET_NAME
                    + " disagree: set the version in one place only");
        }
        Optional<String> raw = setting.or(() -> fromName);
        if (raw.isEmpty()) {
            return new VersionSelector("latest", false);
        }
        String v = raw.get();
        if (!v.equals("latest") && !NUMBER.matcher(v).matches() && !ALIAS.matcher(v).matches()) {
            throw new ConfigurationException((setting.isPresent() ? GcpConfigKeys.SECRET_VERSION : GcpConfigKeys.SECRET_NAME)
                    + " is not a valid version: expected latest, a version number (1, 2, ...) or a version alias (letters, digits, - and _)");
        }
        return new VersionSelector(v, true);
    }

    boolean isNumber() {
        return NUMBER.matcher(value).matches();
    }

    @Override
    public String toString() {
        String kind = value.equals("latest") ? "latest" : isNumber() ? "version " + value : "alias " + value;
        return kind + (explicit ? "" : " (default)");
    }
}
