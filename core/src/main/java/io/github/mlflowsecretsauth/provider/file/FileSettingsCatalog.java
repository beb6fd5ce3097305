package io.github.mlflowsecretsauth.provider.file;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

/** The {@code file} provider's settings ({@link FileProviderFactory}). */
public final class FileSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(FileProviderFactory.PATH, "", "a file holding the secret (a Kubernetes-mounted secret, a Vault Agent template, "
                        + "a CSI driver file)"),
                s(FileProviderFactory.POLL, "`" + FileProviderFactory.DEFAULT_POLL_SEC + "`", "seconds between checks for a "
                        + "change, atomic renames and Kubernetes' symlink swap included; a change refreshes the credential at once")));
        out.addAll(ProviderSettings.modeAndTtl("core", SettingsSection.FILE, new FileProviderFactory()));
        return out;
    }

    private static Setting s(String name, String defaultValue, String meaning) {
        return Setting.of("core", SettingsSection.FILE, name, defaultValue, meaning);
    }
}
