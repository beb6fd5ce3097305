package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;

import java.util.List;

/** The command's own settings: the proxy's client token, and the two the launcher script reads. */
public final class CliSettingsCatalog implements SettingsCatalog {
    /** Read by {@code bin/mlflow-secrets-auth}: extra JVM options, placed after the launcher's own. */
    static final String JAVA_OPTS = "MLFLOW_SECRETS_AUTH_JAVA_OPTS";
    /** Read by {@code bin/mlflow-secrets-auth}: {@code 0} turns the class-data sharing archive off. */
    static final String CDS = "MLFLOW_SECRETS_AUTH_CDS";

    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.of("cli", SettingsSection.PROXY, ProxySettings.CLIENT_TOKEN, "", "client token the proxy requires "
                        + "(`Authorization: Bearer <token>`); required for a non-loopback proxy").asSecret(),
                Setting.of("cli", SettingsSection.LAUNCHER, JAVA_OPTS, "", "extra JVM options, placed after the launcher's "
                        + "own (for example `-Xmx256m`)"),
                Setting.of("cli", SettingsSection.LAUNCHER, CDS, "`1`", "`0` turns off the class-data sharing archive the "
                        + "launcher keeps for a faster start"));
    }
}
