package io.github.mlflowsecretsauth.provider.env;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

/** The {@code env} provider's settings ({@link EnvProviderFactory}): MLflow's own variables. */
public final class EnvSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(EnvProviderFactory.TOKEN, "a token sent as `Bearer`").asSecret(),
                s(EnvProviderFactory.USERNAME, "the user name of `Basic` auth, with the password"),
                s(EnvProviderFactory.PASSWORD, "the password of `Basic` auth").asSecret()));
        out.addAll(ProviderSettings.modeAndTtl("core", SettingsSection.ENV, new EnvProviderFactory(),
                "what is set: `bearer` for a token, `basic` for a user name and password", ProviderSettings.TTL_MEANING));
        return out;
    }

    private static Setting s(String name, String meaning) {
        return Setting.of("core", SettingsSection.ENV, name, "", meaning);
    }
}
