package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.config.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.CredentialText;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Vault provider's settings, validated. {@link #toString()} never shows the token or secret id.
 *
 * @param address    {@code VAULT_ADDR}
 * @param token      {@code VAULT_TOKEN}, for token authentication
 * @param roleId     {@code VAULT_ROLE_ID}, for AppRole
 * @param secretId   {@code VAULT_SECRET_ID}, for AppRole
 * @param approleMount {@code VAULT_APPROLE_MOUNT}, the AppRole auth mount (default {@code approle})
 * @param secretPath {@code MLFLOW_VAULT_SECRET_PATH}, e.g. {@code secret/mlflow/auth} or {@code secret/data/mlflow/auth}
 * @param namespace  {@code VAULT_NAMESPACE} (Vault Enterprise)
 * @param caCert     {@code VAULT_CACERT}, a PEM file of CAs to trust
 * @param skipVerify {@code VAULT_SKIP_VERIFY}
 */
public record VaultConfig(URI address, Optional<String> token, Optional<String> roleId, Optional<String> secretId,
                          String approleMount, String secretPath, Optional<String> namespace, Optional<Path> caCert,
                          boolean skipVerify) {

    public static final String ADDR = "VAULT_ADDR";
    public static final String TOKEN = "VAULT_TOKEN";
    public static final String ROLE_ID = "VAULT_ROLE_ID";
    public static final String SECRET_ID = "VAULT_SECRET_ID";
    public static final String APPROLE_MOUNT = "VAULT_APPROLE_MOUNT";
    public static final String SECRET_PATH = "MLFLOW_VAULT_SECRET_PATH";
    public static final String NAMESPACE = "VAULT_NAMESPACE";
    public static final String CACERT = "VAULT_CACERT";
    public static final String SKIP_VERIFY = "VAULT_SKIP_VERIFY";

    static List<String> missing(Settings s) {
        List<String> out = new ArrayList<>();
        if (!s.isSet(ADDR)) {
            out.add(ADDR);
        }
        if (!s.isSet(SECRET_PATH)) {
            out.add(SECRET_PATH);
        }
        if (!s.isSet(TOKEN) && !(s.isSet(ROLE_ID) && s.isSet(SECRET_ID))) {
            out.add(TOKEN + " (or " + ROLE_ID + " and " + SECRET_ID + ")");
        }
        return out;
    }

    static VaultConfig from(Settings s) {
        URI address = ConfigValues.httpUrl(s, ADDR);
        String path = s.get(SECRET_PATH).orElseThrow().replaceAll("^/+|/+$", "");
        if (path.isEmpty() || !path.contains("/") || path.contains("//") || path.contains("..")) {
            throw new ConfigurationException(SECRET_PATH + " must be a Vault path such as secret/mlflow/auth (mount, then the secret's path)");
        }
        // Checked here, where each value enters: sent as headers or echoed JSON, a bad byte would otherwise
        // surface as the HTTP client's own message, which quotes the value.
        Optional<String> token = s.get(TOKEN).map(v -> CredentialText.requireSetting(v, TOKEN));
        Optional<String> roleId = s.get(ROLE_ID).map(v -> CredentialText.requireSetting(v, ROLE_ID));
        Optional<String> secretId = s.get(SECRET_ID).map(v -> CredentialText.requireSetting(v, SECRET_ID));
        Optional<String> namespace = s.get(NAMESPACE).map(v -> CredentialText.requireSetting(v, NAMESPACE))
                .map(n -> n.replaceAll("^/+|/+$", ""));
        if (roleId.isPresent() != secretId.isPresent()) {
            throw new ConfigurationException((roleId.isPresent() ? SECRET_ID : ROLE_ID) + " is not set: AppRole login needs both "
                    + ROLE_ID + " and " + SECRET_ID);
        }
        Optional<Path> ca = s.get(CACERT).map(Path::of);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw new ConfigurationException(CACERT + ": cannot read " + ca.get() + ": point it at a readable PEM file of CA certificates");
        }
        boolean skip = ConfigValues.bool(s, SKIP_VERIFY, false);
        String mount = s.get(APPROLE_MOUNT).orElse("approle").replaceAll("^/+|/+$", "");
        return new VaultConfig(address, token, roleId, secretId, mount, path, namespace, ca, skip);
    }

    boolean usesAppRole() {
        return roleId.isPresent();
    }

    @Override
    public String toString() {
        return "VaultConfig{address=" + address + ", auth=" + (usesAppRole() ? "approle" : "token") + ", secretPath=" + secretPath
                + namespace.map(n -> ", namespace=" + n).orElse("") + "}";
    }
}
