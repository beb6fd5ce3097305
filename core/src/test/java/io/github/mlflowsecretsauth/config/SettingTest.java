package io.github.mlflowsecretsauth.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingTest {
    @Test
    void aPlaceholderStandsForAFamilyOfNames() {
        Setting toggle = Setting.of("core", SettingsSection.SHARED, "MLFLOW_SECRETS_AUTH_ENABLE_<NAME>", "", "a toggle");
        assertThat(toggle.matches("MLFLOW_SECRETS_AUTH_ENABLE_VAULT")).isTrue();
        assertThat(toggle.matches("MLFLOW_SECRETS_AUTH_ENABLE_AWS_SECRETS_MANAGER")).isTrue();
        assertThat(toggle.matches("MLFLOW_SECRETS_AUTH_ENABLE_")).isFalse();
        assertThat(toggle.matches("MLFLOW_SECRETS_AUTH_ENABLE")).isFalse();
        assertThat(toggle.matches("MLFLOW_SECRETS_AUTH_ENABLE_vault")).isFalse();
        Setting plain = Setting.of("core", SettingsSection.SHARED, "MLFLOW_TRACKING_URI", "", "the server");
        assertThat(plain.matches("MLFLOW_TRACKING_URI")).isTrue();
        assertThat(plain.matches("MLFLOW_TRACKING_URI_X")).isFalse();
    }

    @Test
    void anEntryThatCannotBeATableRowIsRefused() {
        assertThatThrownBy(() -> Setting.of("core", SettingsSection.SHARED, "lower_case", "", "x"))
                .hasMessageContaining("upper-case");
        assertThatThrownBy(() -> Setting.of("core", SettingsSection.SHARED, "A_B", "", "one | two"))
                .hasMessageContaining("A_B: the meaning is one line");
        assertThatThrownBy(() -> Setting.of("core", SettingsSection.SHARED, "A_B", "", " "))
                .hasMessageContaining("A_B: the meaning");
        assertThatThrownBy(() -> Setting.of("Core Module", SettingsSection.SHARED, "A_B", "", "x"))
                .hasMessageContaining("module");
    }

    @Test
    void asSecretKeepsEverythingElse() {
        Setting s = Setting.of("core", SettingsSection.VAULT, "VAULT_TOKEN", "", "a token").asSecret();
        assertThat(s.secret()).isTrue();
        assertThat(s).isEqualTo(new Setting("VAULT_TOKEN", "", "a token", "core", SettingsSection.VAULT, true));
    }

    @Test
    void theCoreRegistryHoldsTheCoresSettingsInSectionOrder() {
        List<Setting> all = SettingsRegistry.all();
        assertThat(all).allMatch(s -> s.module().equals("core"), "only core's catalogs are on core's class path");
        assertThat(all).extracting(Setting::section).isSorted();
        assertThat(SettingsRegistry.find(all, ConfigKeys.TRACKING_URI)).map(Setting::section).contains(SettingsSection.SHARED);
        assertThat(SettingsRegistry.find(all, "MLFLOW_SECRETS_AUTH_ENABLE_FILE")).map(Setting::name)
                .contains(ConfigKeys.ENABLE_PREFIX + "<NAME>");
        assertThat(SettingsRegistry.find(all, "VAULT_TOKEN")).map(Setting::secret).contains(true);
        assertThat(SettingsRegistry.find(all, "MLFLOW_NOT_A_SETTING")).isEmpty();
        for (SettingsSection section : List.of(SettingsSection.SHARED, SettingsSection.VAULT, SettingsSection.TLS,
                SettingsSection.OAUTH2, SettingsSection.KUBERNETES, SettingsSection.FILE, SettingsSection.ENV)) {
            assertThat(all).as(section.id()).anyMatch(s -> s.section() == section);
        }
    }
}
