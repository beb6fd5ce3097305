package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.internal.ClientIdentity;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.CredentialText;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Vault provider's settings, validated: where Vault is, how to reach it, and what to read. How to log in is
 * {@link VaultLogins}' part. {@link #toString()} never shows a credential.
 *
 * @param address       {@code VAULT_ADDR}
 * @param secretPath    {@code MLFLOW_VAULT_SECRET_PATH}, e.g. {@code secret/mlflow/auth} or {@code secret/data/mlflow/auth}
 * @param namespace     {@code VAULT_NAMESPACE} (Vault Enterprise)
 * @param caCert        {@code VAULT_CACERT}, a PEM file of CAs to trust
 * @param skipVerify    {@code VAULT_SKIP_VERIFY}
 * @param secretVersion {@code MLFLOW_VAULT_SECRET_VERSION}, a KV v2 version to pin (empty: the latest)
 * @param revokeOnClose {@code VAULT_REVOKE_ON_CLOSE} (default true): revoke a token obtained by login on close
 * @param clientCert    {@code VAULT_CLIENT_CERT}, a PEM client certificate presented on every connection to Vault
 * @param clientKey     {@code VAULT_CLIENT_KEY}, its PEM private key (empty: the key is in the certificate file)
 */
public record VaultConfig(URI address, String secretPath, Optional<String> namespace, Optional<Path> caCert,
                          boolean skipVerify, Optional<Long> secretVersion, boolean revokeOnClose,
                          Optional<Path> clientCert, Optional<Path> clientKey) {

    public static final String ADDR = "VAULT_ADDR";
    public static final String TOKEN = "VAULT_TOKEN";
    public static final String ROLE_ID = "VAULT_ROLE_ID";
    public static final String SECRET_ID = "VAULT_SECRET_ID";
    public static final String APPROLE_MOUNT = "VAULT_APPROLE_MOUNT";
    public static final String SECRET_PATH = "MLFLOW_VAULT_SECRET_PATH";
    public static final String SECRET_VERSION = "MLFLOW_VAULT_SECRET_VERSION";
    public static final String NAMESPACE = "VAULT_NAMESPACE";
    public static final String CACERT = "VAULT_CACERT";
    public static final String SKIP_VERIFY = "VAULT_SKIP_VERIFY";
    /** The Vault CLI's client certificate and key (PEM files); presented on every connection, whatever the login. */
    public static final String CLIENT_CERT = "VAULT_CLIENT_CERT";
    public static final String CLIENT_KEY = "VAULT_CLIENT_KEY";
    private static final ClientIdentity.Variables CLIENT_VARIABLES = new ClientIdentity.Variables(CLIENT_CERT, CLIENT_KEY,
            Optional.empty());
    /** Credentials a login may take from the environment; {@code exec} strips them from its child. */
    public static final String JWT = VaultLogins.JWT;
    public static final String PASSWORD = VaultLogins.PASSWORD;
    public static final String WRAPPED_SECRET_ID = VaultLogins.WRAPPED_SECRET_ID;

    static List<String> missing(Settings s) {
        List<String> out = new ArrayList<>();
        if (!s.isSet(ADDR)) {
            out.add(ADDR);
        }
        if (!s.isSet(SECRET_PATH)) {
            out.add(SECRET_PATH);
        }
        if (VaultLogins.method(s).isEmpty()) {
            out.add(TOKEN + " (or " + ROLE_ID + " and " + SECRET_ID + ", or " + VaultLogins.AUTH_METHOD + ")");
        }
        return out;
    }

    static VaultConfig from(Settings s) {
        URI address = ConfigValues.httpUrl(s, ADDR);
        String path = s.get(SECRET_PATH).orElseThrow().replaceAll("^/+|/+$", "");
        if (path.isEmpty() || !path.contains("/") || path.contains("//") || path.contains("..")) {
            throw new ConfigurationException(SECRET_PATH + " must be a Vault path such as secret/mlflow/auth (mount, then the secret's path)");
        }
        // Checked here, where each value enters: sent as a header, a bad byte would otherwise surface as the HTTP
        // client's own message, which quotes the value.
        Optional<String> namespace = s.get(NAMESPACE).map(v -> CredentialText.requireSetting(v, NAMESPACE))
                .map(n -> n.replaceAll("^/+|/+$", ""));
        Optional<Path> ca = s.get(CACERT).map(Path::of);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw new ConfigurationException(CACERT + ": cannot read " + ca.get() + ": point it at a readable PEM file of CA certificates");
        }
        boolean skip = ConfigValues.bool(s, SKIP_VERIFY, false);
        Optional<Long> version = s.isSet(SECRET_VERSION)
                ? Optional.of(ConfigValues.positiveLong(s, SECRET_VERSION, 1, "a KV v2 version number"))
                : Optional.empty();
        boolean revoke = ConfigValues.bool(s, VaultLogins.REVOKE_ON_CLOSE, true);
        Optional<Path> cert = s.get(CLIENT_CERT).map(Path::of);
        Optional<Path> key = s.get(CLIENT_KEY).map(Path::of);
        if (key.isPresent() && cert.isEmpty()) {
            throw new ConfigurationException(CLIENT_KEY + " is set but " + CLIENT_CERT + " is not: set both (PEM files) to"
                    + " present a client certificate to Vault");
        }
        return new VaultConfig(address, path, namespace, ca, skip, version, revoke, cert, key);
    }

    /** Loads and checks {@code VAULT_CLIENT_CERT} and {@code VAULT_CLIENT_KEY}, if set; errors name the variable. */
    Optional<ClientIdentity> clientIdentity(Clock clock) {
        return clientCert.map(c -> ClientIdentity.load(c, clientKey, Optional.empty(), CLIENT_VARIABLES, clock));
    }

    @Override
    public String toString() {
        return "VaultConfig{address=" + address + ", secretPath=" + secretPath + secretVersion.map(v -> ", version=" + v).orElse("")
                + namespace.map(n -> ", namespace=" + n).orElse("") + clientCert.map(c -> ", clientCert=" + c).orElse("") + "}";
    }
}
