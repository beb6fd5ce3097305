package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

/** The {@code vault} provider's settings ({@link VaultConfig}, {@link VaultLogins}). */
public final class VaultSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(VaultConfig.ADDR, "", "Vault's URL"),
                s(VaultLogins.AUTH_METHOD, "`approle` when `" + VaultConfig.ROLE_ID + "` is set, else `token`",
                        String.join(", ", VaultLogins.METHODS.stream().map(m -> "`" + m + "`").toList())
                                + "; `token` uses `" + VaultConfig.TOKEN + "` or `~/.vault-token`"),
                s(VaultLogins.AUTH_MOUNT, "the method's name", "the auth method's mount (wins over `" + VaultConfig.APPROLE_MOUNT + "`)"),
                s(VaultLogins.AUTH_ROLE, "", "the role for `kubernetes`, `jwt` and `aws`; the cert role's name for `cert` "
                        + "(optional)"),
                s(VaultConfig.TOKEN, "`~/.vault-token`", "token auth (or the Vault CLI's `~/.vault-token`); renewed if "
                        + "renewable, never revoked").asSecret(),
                s(VaultConfig.ROLE_ID, "", "AppRole auth: the role id (with a secret id)").asSecret(),
                s(VaultConfig.SECRET_ID, "", "AppRole auth: the secret id").asSecret(),
                s(VaultConfig.APPROLE_MOUNT, "`approle`", "AppRole's mount (`" + VaultLogins.AUTH_MOUNT + "` wins)"),
                s(VaultLogins.SECRET_ID_FILE, "", "AppRole's secret id from a file, read at each login"),
                s(VaultLogins.WRAPPED_SECRET_ID, "", "AppRole's secret id as a response-wrapping token, unwrapped once at "
                        + "start").asSecret(),
                s(VaultLogins.KUBERNETES_TOKEN_PATH, "`" + KubernetesLogin.DEFAULT_TOKEN_PATH + "`", "the service-account "
                        + "token for `kubernetes`, read at each login"),
                s(VaultLogins.JWT_PATH, "", "the JWT for `jwt`: a file read at each login"),
                s(VaultLogins.JWT, "", "the JWT for `jwt`: the value").asSecret(),
                s(VaultLogins.USERNAME, "", "the user name for `userpass` and `ldap`"),
                s(VaultLogins.PASSWORD, "", "the password for `userpass` and `ldap`").asSecret(),
                s(VaultLogins.PASSWORD_FILE, "", "the password for `userpass` and `ldap` from a file (one trailing newline "
                        + "ignored)"),
                s(VaultLogins.REVOKE_ON_CLOSE, "`true`", "`false` keeps a login's token when the process ends (default: "
                        + "revoked with `revoke-self`)"),
                s(VaultConfig.SECRET_PATH, "", "`secret/mlflow/auth` or `secret/data/mlflow/auth`; KV v1 and v2 on any mount, "
                        + "found like the Vault CLI does (`sys/internal/ui/mounts`)"),
                s(VaultConfig.SECRET_VERSION, "the latest", "pins a KV v2 version"),
                s(VaultConfig.NAMESPACE, "", "Vault Enterprise namespace"),
                s(VaultConfig.CACERT, "the JDK's CAs", "PEM file of CAs to trust for Vault's TLS"),
                s(VaultConfig.CLIENT_CERT, "", "a PEM client certificate, presented on every connection to Vault "
                        + "(the `cert` login needs it)"),
                s(VaultConfig.CLIENT_KEY, "the key in `" + VaultConfig.CLIENT_CERT + "`'s file", "its PEM private key "
                        + "(PKCS#8, PKCS#1 or SEC1)").asSecret(),
                s(VaultConfig.SKIP_VERIFY, "`false`", "`true` disables TLS verification (logged as a warning; use `"
                        + VaultConfig.CACERT + "` instead)")));
        out.addAll(ProviderSettings.modeAndTtl("core", SettingsSection.VAULT, new VaultProviderFactory()));
        return out;
    }

    private static Setting s(String name, String defaultValue, String meaning) {
        return Setting.of("core", SettingsSection.VAULT, name, defaultValue, meaning);
    }
}
