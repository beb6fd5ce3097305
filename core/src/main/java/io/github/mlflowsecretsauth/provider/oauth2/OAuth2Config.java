package io.github.mlflowsecretsauth.provider.oauth2;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.CredentialText;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code oauth2} provider's settings, validated; each error names its variable. {@link #toString()} never
 * shows the client secret.
 *
 * @param tokenUrl     {@code MLFLOW_OAUTH2_TOKEN_URL}; when empty, found from {@code issuerUrl} by discovery
 * @param issuerUrl    {@code MLFLOW_OAUTH2_ISSUER_URL}
 * @param clientId     {@code MLFLOW_OAUTH2_CLIENT_ID}; wins over the one in a secret read through {@code secretFrom}
 * @param clientSecret {@code MLFLOW_OAUTH2_CLIENT_SECRET}
 * @param secretFrom   {@code MLFLOW_OAUTH2_CLIENT_SECRET_FROM}: the provider whose configured secret holds the credentials
 * @param scope        {@code MLFLOW_OAUTH2_SCOPE}, space-separated
 * @param audience     {@code MLFLOW_OAUTH2_AUDIENCE}
 * @param resource     {@code MLFLOW_OAUTH2_RESOURCE} (RFC 8707)
 * @param clientAuth   {@code MLFLOW_OAUTH2_CLIENT_AUTH}
 * @param keyPath      {@code MLFLOW_OAUTH2_CLIENT_KEY_PATH}, a PEM private key for {@code private_key_jwt}
 * @param keyId        {@code MLFLOW_OAUTH2_CLIENT_KEY_ID}, the assertion's {@code kid}
 * @param caBundle     {@code MLFLOW_OAUTH2_CA_BUNDLE_PATH}, a PEM file of CAs to trust
 */
record OAuth2Config(Optional<URI> tokenUrl, Optional<URI> issuerUrl, Optional<String> clientId, Optional<String> clientSecret,
                    Optional<String> secretFrom, Optional<String> scope, Optional<String> audience, Optional<String> resource,
                    ClientAuth clientAuth, Optional<Path> keyPath, Optional<String> keyId, Optional<Path> caBundle) {

    static final String PREFIX = "MLFLOW_OAUTH2_";
    static final String TOKEN_URL = PREFIX + "TOKEN_URL";
    static final String ISSUER_URL = PREFIX + "ISSUER_URL";
    static final String CLIENT_ID = PREFIX + "CLIENT_ID";
    static final String CLIENT_SECRET = PREFIX + "CLIENT_SECRET";
    static final String CLIENT_SECRET_FROM = PREFIX + "CLIENT_SECRET_FROM";
    static final String SCOPE = PREFIX + "SCOPE";
    static final String AUDIENCE = PREFIX + "AUDIENCE";
    static final String RESOURCE = PREFIX + "RESOURCE";
    static final String CLIENT_AUTH = PREFIX + "CLIENT_AUTH";
    static final String CLIENT_KEY_PATH = PREFIX + "CLIENT_KEY_PATH";
    static final String CLIENT_KEY_ID = PREFIX + "CLIENT_KEY_ID";
    static final String CA_BUNDLE_PATH = PREFIX + "CA_BUNDLE_PATH";
    /** The providers whose secret may hold the client credentials. */
    static final Set<String> SECRET_SOURCES = Set.of("vault", "aws-secrets-manager", "azure-key-vault", "gcp-secret-manager", "file");

    static List<String> missing(Settings s) {
        List<String> out = new ArrayList<>();
        if (!s.isSet(TOKEN_URL) && !s.isSet(ISSUER_URL)) {
            out.add(TOKEN_URL + " (or " + ISSUER_URL + ")");
        }
        boolean jwt = s.get(CLIENT_AUTH).map(v -> v.equalsIgnoreCase(ClientAuth.PRIVATE_KEY_JWT.id())).orElse(false);
        if (!s.isSet(CLIENT_ID) && (jwt || !s.isSet(CLIENT_SECRET_FROM))) {
            out.add(CLIENT_ID);
        }
        if (jwt && !s.isSet(CLIENT_KEY_PATH)) {
            out.add(CLIENT_KEY_PATH);
        } else if (!jwt && !s.isSet(CLIENT_SECRET) && !s.isSet(CLIENT_SECRET_FROM)) {
            out.add(CLIENT_SECRET + " (or " + CLIENT_SECRET_FROM + ")");
        }
        return out;
    }

    static OAuth2Config from(Settings s) {
        Optional<URI> tokenUrl = s.get(TOKEN_URL).map(v -> ConfigValues.httpUrl(TOKEN_URL, v));
        Optional<URI> issuer = s.get(ISSUER_URL).map(v -> ConfigValues.httpUrl(ISSUER_URL, v));
        if (tokenUrl.isEmpty() && issuer.isEmpty()) {
            throw new ConfigurationException(TOKEN_URL + " is not set: set it to the IdP's token endpoint, or set " + ISSUER_URL
                    + " to find it by OIDC discovery");
        }
        ClientAuth auth = s.get(CLIENT_AUTH).map(v -> ClientAuth.parse(v, CLIENT_AUTH)).orElse(ClientAuth.CLIENT_SECRET_BASIC);
        // Checked where each value enters, so a bad byte is named by its variable and never quoted by an HTTP client.
        Optional<String> id = s.get(CLIENT_ID).map(v -> CredentialText.requireSetting(v, CLIENT_ID));
        Optional<String> secret = s.get(CLIENT_SECRET).map(v -> CredentialText.requireSetting(v, CLIENT_SECRET));
        Optional<String> from = s.get(CLIENT_SECRET_FROM).map(String::strip);
        if (from.isPresent() && !SECRET_SOURCES.contains(from.get())) {
            throw new ConfigurationException(CLIENT_SECRET_FROM + " must be one of vault, aws-secrets-manager, azure-key-vault, "
                    + "gcp-secret-manager or file");
        }
        if (from.isPresent() && secret.isPresent()) {
            throw new ConfigurationException("both " + CLIENT_SECRET + " and " + CLIENT_SECRET_FROM + " are set: keep only one");
        }
        Optional<Path> key = s.get(CLIENT_KEY_PATH).map(Path::of);
        if (auth == ClientAuth.PRIVATE_KEY_JWT) {
            if (key.isEmpty()) {
                throw new ConfigurationException(CLIENT_KEY_PATH + " is not set: private_key_jwt needs the client's PEM private key");
            }
            if (secret.isPresent() || from.isPresent()) {
                throw new ConfigurationException((secret.isPresent() ? CLIENT_SECRET : CLIENT_SECRET_FROM) + " is set, but "
                        + CLIENT_AUTH + "=private_key_jwt signs with " + CLIENT_KEY_PATH + ": unset one of them");
            }
        } else if (secret.isEmpty() && from.isEmpty()) {
            throw new ConfigurationException(CLIENT_SECRET + " is not set: " + auth.id() + " needs the client secret (or set "
                    + CLIENT_SECRET_FROM + ")");
        }
        if (id.isEmpty() && (from.isEmpty() || auth == ClientAuth.PRIVATE_KEY_JWT)) {
            throw new ConfigurationException(CLIENT_ID + " is not set: set it to the client id registered at the IdP");
        }
        Optional<Path> ca = s.get(CA_BUNDLE_PATH).map(Path::of);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw new ConfigurationException(CA_BUNDLE_PATH + ": cannot read " + ca.get() + ": point it at a readable PEM file of CA certificates");
        }
        Optional<String> scope = s.get(SCOPE).map(v -> plain(v, SCOPE)).map(v -> v.strip().replaceAll("\\s+", " "));
        return new OAuth2Config(tokenUrl, issuer, id, secret, from, scope, s.get(AUDIENCE).map(v -> plain(v, AUDIENCE)),
                s.get(RESOURCE).map(OAuth2Config::resource), auth, key,
                s.get(CLIENT_KEY_ID).map(v -> plain(v, CLIENT_KEY_ID)), ca);
    }

    /** RFC 8707 §2: an absolute URI without a fragment. */
    private static String resource(String value) {
        try {
            URI u = new URI(plain(value, RESOURCE));
            if (u.isAbsolute() && u.getRawFragment() == null) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // the message below says what is expected
        }
        throw new ConfigurationException(RESOURCE + " must be an absolute URI without a fragment (RFC 8707), e.g. https://mlflow.example.com");
    }

    private static String plain(String value, String variable) {
        if (CredentialText.hasControl(value)) {
            throw new ConfigurationException(variable + " contains a control character: set it to plain text");
        }
        return value;
    }

    @Override
    public String toString() {
        return "OAuth2Config{" + tokenUrl.map(u -> "tokenUrl=" + u).orElseGet(() -> "issuer=" + issuerUrl.orElseThrow()) + ", clientId="
                + clientId.orElse("(from " + secretFrom.orElse("?") + ")") + ", auth=" + clientAuth.id() + "}";
    }
}
