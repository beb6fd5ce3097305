package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.util.List;

/** The two settings every provider has, {@code MLFLOW_<P>_AUTH_MODE} and {@code MLFLOW_<P>_TTL_SEC}, for catalogs. */
public final class ProviderSettings {
    /** The usual meaning of the TTL setting. */
    public static final String TTL_MEANING = "seconds the credential is cached before it is fetched again";

    private ProviderSettings() {
    }

    /** {@code factory}'s mode (default {@code bearer}) and TTL (default 300 s, meaning {@code ttlMeaning}). */
    public static List<Setting> modeAndTtl(String module, SettingsSection section, SecretProviderFactory factory,
                                           String defaultMode, String ttlMeaning) {
        String prefix = factory.settingsPrefix();
        return List.of(
                Setting.of(module, section, ConfigKeys.authMode(prefix), defaultMode,
                        "`bearer`, `basic` or `raw`: how the credential becomes the header's value"),
                Setting.of(module, section, ConfigKeys.ttl(prefix), "`" + ConfigKeys.DEFAULT_TTL_SEC + "`", ttlMeaning));
    }

    /** The usual pair: default mode {@code bearer}, the usual TTL meaning. */
    public static List<Setting> modeAndTtl(String module, SettingsSection section, SecretProviderFactory factory) {
        return modeAndTtl(module, section, factory, "`bearer`", TTL_MEANING);
    }
}
