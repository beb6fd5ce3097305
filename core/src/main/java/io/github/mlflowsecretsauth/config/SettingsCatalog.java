package io.github.mlflowsecretsauth.config;

import java.util.List;

/**
 * A module's settings, found with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.github.mlflowsecretsauth.config.SettingsCatalog}). Each catalog builds its entries from
 * the module's own name constants ({@link ConfigKeys}, {@code VaultConfig}, {@code AwsConfigKeys}, ...), so a name is
 * written once, and a test checks that every variable name in the main sources has an entry.
 */
public interface SettingsCatalog {
    /** The settings, in the order their section's table lists them. */
    List<Setting> settings();
}
