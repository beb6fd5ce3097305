package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.CredentialText;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the Vault login from the settings: {@code VAULT_AUTH_METHOD}, or by default {@code approle} when
 * {@code VAULT_ROLE_ID} is set, {@code token} when {@code VAULT_TOKEN} is set or the Vault CLI's
 * {@code ~/.vault-token} exists (under {@code HOME}). Mounted at {@code VAULT_AUTH_MOUNT}, by default the method's
 * name ({@code VAULT_APPROLE_MOUNT} still works for AppRole; {@code VAULT_AUTH_MOUNT} wins). The reason says why,
 * for {@code info}. Stateless; errors are one line naming the variable to set.
 */
final class VaultLogins {
    static final String AUTH_METHOD = "VAULT_AUTH_METHOD";
    static final String AUTH_MOUNT = "VAULT_AUTH_MOUNT";
    static final String AUTH_ROLE = "VAULT_AUTH_ROLE";
    static final String KUBERNETES_TOKEN_PATH = "VAULT_KUBERNETES_TOKEN_PATH";
    static final String JWT_PATH = "VAULT_JWT_PATH";
    static final String JWT = "VAULT_JWT";
    static final String USERNAME = "VAULT_USERNAME";
    static final String PASSWORD = "VAULT_PASSWORD";
    static final String PASSWORD_FILE = "VAULT_PASSWORD_FILE";
    static final String SECRET_ID_FILE = "VAULT_SECRET_ID_FILE";
    static final String WRAPPED_SECRET_ID = "VAULT_WRAPPED_SECRET_ID";
    static final String REVOKE_ON_CLOSE = "VAULT_REVOKE_ON_CLOSE";
    static final List<String> METHODS = List.of("token", "approle", "kubernetes", "jwt", "cert", "userpass", "ldap", "aws");

    /** The login and why it was chosen ({@code VAULT_AUTH_METHOD=kubernetes}, {@code VAULT_ROLE_ID is set}). */
    record Selected(VaultLogin login, String reason) {
    }

    private VaultLogins() {
    }

    /** The method the settings select and why, or empty when nothing selects one. */
    static Optional<String[]> method(Settings s) {
        Optional<String> explicit = s.get(AUTH_METHOD).map(m -> m.strip().toLowerCase(Locale.ROOT));
        if (explicit.isPresent()) {
            return Optional.of(new String[] {explicit.get(), AUTH_METHOD + "=" + explicit.get()});
        }
        if (s.isSet(VaultConfig.ROLE_ID)) {
            return Optional.of(new String[] {"approle", VaultConfig.ROLE_ID + " is set"});
        }
        if (s.isSet(VaultConfig.TOKEN)) {
            return Optional.of(new String[] {"token", VaultConfig.TOKEN + " is set"});
        }
        return cliTokenFile(s).map(f -> new String[] {"token", f + " exists (the Vault CLI's token)"});
    }

    /** {@code $HOME/.vault-token} when it exists; only {@code HOME} from the settings, so tests never see a developer's file. */
    static Optional<Path> cliTokenFile(Settings s) {
        return s.get("HOME").map(h -> Path.of(h, ".vault-token")).filter(Files::isRegularFile);
    }

    static Selected select(Settings s) {
        String[] m = method(s).orElseThrow(() -> new ConfigurationException("no Vault login is configured: set "
                + VaultConfig.TOKEN + ", or " + VaultConfig.ROLE_ID + " and " + VaultConfig.SECRET_ID + ", or " + AUTH_METHOD));
        String method = m[0];
        return new Selected(switch (method) {
            case "token" -> token(s);
            case "approle" -> appRole(s);
            case "kubernetes" -> new KubernetesLogin(mount(s, method), role(s, method),
                    s.get(KUBERNETES_TOKEN_PATH).map(Path::of).orElse(KubernetesLogin.DEFAULT_TOKEN_PATH));
            case "jwt" -> jwt(s);
            case "userpass", "ldap" -> password(s, method);
            case "cert" -> CertLogin.from(s, mount(s, method));
            case "aws" -> ExtensionLogin.find(s, method, "mlflow-secrets-auth-aws", mount(s, method), role(s, method));
            default -> throw new ConfigurationException(AUTH_METHOD + " must be one of " + String.join(", ", METHODS)
                    + " (the value is not shown)");
        }, m[1]);
    }

    private static String mount(Settings s, String method) {
        String mount = s.get(AUTH_MOUNT).orElse(method).replaceAll("^/+|/+$", "");
        if (mount.isEmpty() || !mount.matches("[A-Za-z0-9._/-]+") || mount.contains("..")) {
            throw new ConfigurationException(AUTH_MOUNT + " must be an auth mount path such as " + method + " or k8s/prod-cluster");
        }
        return mount;
    }

    private static String role(Settings s, String method) {
        String role = s.get(AUTH_ROLE).map(String::strip).orElse("");
        if (role.isEmpty()) {
            throw new ConfigurationException(AUTH_ROLE + " is not set: the " + method + " login needs the Vault role to log in as");
        }
        return CredentialText.requireSetting(role, AUTH_ROLE);
    }

    private static VaultLogin token(Settings s) {
        Optional<String> value = s.get(VaultConfig.TOKEN).map(v -> CredentialText.requireSetting(v, VaultConfig.TOKEN));
        if (value.isPresent()) {
            return new TokenLogin(value.get(), VaultConfig.TOKEN);
        }
        Path file = cliTokenFile(s).orElseThrow(() -> new ConfigurationException(AUTH_METHOD + "=token needs "
                + VaultConfig.TOKEN + " or the Vault CLI's ~/.vault-token (vault login)"));
        return new TokenLogin(LoginFiles.token(file, "~/.vault-token", "token login"), file.toString());
    }

    private static VaultLogin appRole(Settings s) {
        String roleId = s.get(VaultConfig.ROLE_ID).map(v -> CredentialText.requireSetting(v, VaultConfig.ROLE_ID))
                .orElseThrow(() -> new ConfigurationException(VaultConfig.ROLE_ID + " is not set: AppRole login needs "
                        + VaultConfig.ROLE_ID + " and a secret id"));
        Optional<String> secretId = s.get(VaultConfig.SECRET_ID).map(v -> CredentialText.requireSetting(v, VaultConfig.SECRET_ID));
        Optional<Path> file = s.get(SECRET_ID_FILE).map(Path::of);
        Optional<String> wrapped = s.get(WRAPPED_SECRET_ID).map(v -> CredentialText.requireSetting(v, WRAPPED_SECRET_ID));
        long given = secretId.stream().count() + file.stream().count() + wrapped.stream().count();
        if (given != 1) {
            throw new ConfigurationException((given == 0 ? VaultConfig.SECRET_ID + " is not set: AppRole login needs both "
                    + VaultConfig.ROLE_ID + " and " + VaultConfig.SECRET_ID : "set only one of " + VaultConfig.SECRET_ID)
                    + " (or " + SECRET_ID_FILE + ", or " + WRAPPED_SECRET_ID + ")");
        }
        String mount = s.isSet(AUTH_MOUNT) ? mount(s, "approle")
                : s.get(VaultConfig.APPROLE_MOUNT).orElse("approle").replaceAll("^/+|/+$", "");
        return new AppRoleLogin(mount, roleId, secretId, file, wrapped);
    }

    private static VaultLogin jwt(Settings s) {
        Optional<Path> path = s.get(JWT_PATH).map(Path::of);
        Optional<String> jwt = s.get(JWT).map(v -> CredentialText.requireSetting(v.strip(), JWT));
        if (path.isPresent() == jwt.isPresent()) {
            throw new ConfigurationException("the jwt login needs one of " + JWT_PATH + " (a file, re-read at each login) or "
                    + JWT + (path.isPresent() ? ", not both" : ""));
        }
        return new JwtLogin(mount(s, "jwt"), role(s, "jwt"), path, jwt);
    }

    private static VaultLogin password(Settings s, String method) {
        String user = s.get(USERNAME).map(String::strip).filter(u -> !u.isEmpty()).orElseThrow(() -> new ConfigurationException(
                USERNAME + " is not set: the " + method + " login needs a user name and " + PASSWORD + " or " + PASSWORD_FILE));
        CredentialText.requireEncodedSetting(user, USERNAME);
        Optional<String> pw = s.get(PASSWORD).map(v -> CredentialText.requireEncodedSetting(v, PASSWORD));
        Optional<Path> file = s.get(PASSWORD_FILE).map(Path::of);
        if (pw.isPresent() == file.isPresent()) {
            throw new ConfigurationException("the " + method + " login of user " + user + " needs one of " + PASSWORD + " or "
                    + PASSWORD_FILE + (pw.isPresent() ? ", not both" : ""));
        }
        return new PasswordLogin(method, mount(s, method), user, pw, file);
    }
}
