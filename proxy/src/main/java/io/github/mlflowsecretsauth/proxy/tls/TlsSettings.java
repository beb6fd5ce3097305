package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.internal.ClientIdentity;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The settings for TLS towards the MLflow server, read and checked for consistency (not yet for the
 * files' contents: {@link UpstreamTls} loads those). Immutable; {@link #toString()} never shows the
 * password.
 *
 * @param clientCert     {@code MLFLOW_TRACKING_CLIENT_CERT_PATH}: PEM certificate (chain), or a PKCS#12 bundle
 * @param clientKey      {@code MLFLOW_TRACKING_CLIENT_KEY_PATH}: PEM private key
 * @param password       {@code MLFLOW_TRACKING_CLIENT_CERT_PASSWORD}: the PKCS#12 bundle's password
 * @param caBundle       {@code MLFLOW_TRACKING_CA_BUNDLE_PATH} or its alias {@code MLFLOW_TRACKING_SERVER_CERT_PATH}
 * @param caVariable     which of the two names supplied {@code caBundle}, for messages
 * @param insecure       {@code MLFLOW_TRACKING_INSECURE_TLS}
 */
public record TlsSettings(Optional<Path> clientCert, Optional<Path> clientKey, Optional<String> password,
                          Optional<Path> caBundle, String caVariable, boolean insecure) {

    /** Reads and cross-checks the settings; a {@link ConfigurationException} names the variable at fault. */
    public static TlsSettings from(Settings s) {
        Optional<Path> cert = path(s, ConfigKeys.TRACKING_CLIENT_CERT_PATH);
        Optional<Path> key = path(s, ConfigKeys.TRACKING_CLIENT_KEY_PATH);
        Optional<Path> bundle = path(s, ConfigKeys.TRACKING_CA_BUNDLE_PATH);
        Optional<Path> serverCert = path(s, ConfigKeys.TRACKING_SERVER_CERT_PATH);
        boolean insecure = ConfigValues.bool(s, ConfigKeys.TRACKING_INSECURE_TLS, false);
        if (key.isPresent() && cert.isEmpty()) {
            throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_KEY_PATH + " is set but "
                    + ConfigKeys.TRACKING_CLIENT_CERT_PATH + " is not: set both for mutual TLS");
        }
        if (s.isSet(ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD) && cert.isEmpty()) {
            throw new ConfigurationException(ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD + " is set but "
                    + ConfigKeys.TRACKING_CLIENT_CERT_PATH + " is not: the password opens a PKCS#12 bundle given there");
        }
        if (bundle.isPresent() && serverCert.isPresent() && !bundle.get().equals(serverCert.get())) {
            throw new ConfigurationException(ConfigKeys.TRACKING_CA_BUNDLE_PATH + " and " + ConfigKeys.TRACKING_SERVER_CERT_PATH
                    + " name different files: they are the same setting, set only one");
        }
        String caVariable = bundle.isPresent() || serverCert.isEmpty() ? ConfigKeys.TRACKING_CA_BUNDLE_PATH
                : ConfigKeys.TRACKING_SERVER_CERT_PATH;
        Optional<Path> ca = bundle.or(() -> serverCert);
        if (insecure && ca.isPresent()) {
            throw new ConfigurationException(ConfigKeys.TRACKING_INSECURE_TLS + "=true cannot be combined with " + caVariable
                    + ": verify the server against the CA bundle, or (development only) skip verification, not both");
        }
        return new TlsSettings(cert, key, s.get(ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD), ca, caVariable, insecure);
    }

    private static Optional<Path> path(Settings s, String name) {
        try {
            return s.get(name).map(Path::of);
        } catch (InvalidPathException e) {
            throw new ConfigurationException(name + " is not a valid file path");
        }
    }

    /** The names of these settings, for the messages of {@link ClientIdentity}. */
    static final ClientIdentity.Variables VARIABLES = new ClientIdentity.Variables(ConfigKeys.TRACKING_CLIENT_CERT_PATH,
            ConfigKeys.TRACKING_CLIENT_KEY_PATH, Optional.of(ConfigKeys.TRACKING_CLIENT_CERT_PASSWORD));

    /** Loads and checks the client certificate and key these settings name, if any. */
    public Optional<ClientIdentity> identity(Clock clock) {
        return clientCert.map(cert -> ClientIdentity.load(cert, clientKey, password, VARIABLES, clock));
    }

    /** Whether any TLS setting is set at all. */
    public boolean isSet() {
        return clientCert.isPresent() || caBundle.isPresent() || insecure;
    }

    @Override
    public String toString() {
        return "TlsSettings{clientCert=" + clientCert.map(Path::toString).orElse("<none>") + ", clientKey="
                + clientKey.map(Path::toString).orElse("<none>") + ", password=" + (password.isPresent() ? "<set>" : "<none>")
                + ", caBundle=" + caBundle.map(Path::toString).orElse("<default>") + ", insecure=" + insecure + "}";
    }
}
