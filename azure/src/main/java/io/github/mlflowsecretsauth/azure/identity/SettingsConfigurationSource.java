package io.github.mlflowsecretsauth.azure.identity;

import com.azure.core.util.ConfigurationSource;
import io.github.mlflowsecretsauth.config.Settings;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands the Azure SDK the identity and proxy variables from the project's {@link Settings} (environment,
 * system properties, {@code .env}), so {@code DefaultAzureCredential} sees exactly what {@code info}
 * reports, including values from a {@code .env} file. Immutable; built once per provider.
 */
final class SettingsConfigurationSource implements ConfigurationSource {
    private static final String[] PREFIXES = {"AZURE_", "IDENTITY_", "MSI_", "IMDS_", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY",
        "http_proxy", "https_proxy", "no_proxy"};

    private final Map<String, String> values;

    SettingsConfigurationSource(Settings settings) {
        Map<String, String> v = new HashMap<>();
        for (String name : settings.namesStartingWith(PREFIXES)) {
            settings.get(name).ifPresent(value -> v.put(name, value));
        }
        this.values = Map.copyOf(v);
    }

    @Override
    public Map<String, String> getProperties(String source) {
        return values;
    }

    @Override
    public String toString() {
        return "SettingsConfigurationSource" + values.keySet();
    }
}
