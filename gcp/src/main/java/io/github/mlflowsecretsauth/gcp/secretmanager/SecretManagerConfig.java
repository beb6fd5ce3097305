package io.github.mlflowsecretsauth.gcp.secretmanager;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import io.github.mlflowsecretsauth.gcp.credentials.IamCredentialsEndpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code gcp-secret-manager} provider's settings, validated: the secret ({@link SecretName}), the
 * version ({@link VersionSelector}), the endpoint ({@code MLFLOW_GCP_SECRET_MANAGER_ENDPOINT}, else the
 * regional endpoint of a regional secret, else {@code https://secretmanager.googleapis.com}) and the
 * CAs to trust for it ({@code MLFLOW_GCP_CA_BUNDLE}). The endpoint must be https, except on a loopback
 * address (the testkit, a local emulator). Immutable; holds no credential.
 *
 * @param name         the secret
 * @param version      which version
 * @param endpoint     the base URL, without a trailing slash
 * @param endpointFrom where the endpoint came from, for reports
 * @param caBundle     extra trusted CAs for the endpoint
 */
public record SecretManagerConfig(SecretName name, VersionSelector version, URI endpoint, String endpointFrom, Optional<Path> caBundle) {
    static final String DEFAULT_ENDPOINT = "https://secretmanager.googleapis.com";

    /** The settings a fully configured provider needs that are not set. */
    static List<String> missing(Settings s, Optional<String> credentialsProject) {
        List<String> out = new ArrayList<>();
        Optional<String> name = s.get(GcpConfigKeys.SECRET_NAME);
        if (name.isEmpty()) {
            out.add(GcpConfigKeys.SECRET_NAME);
        } else if (!SecretName.isFull(name.get()) && !s.isSet(GcpConfigKeys.PROJECT) && credentialsProject.isEmpty()) {
            out.add(GcpConfigKeys.PROJECT + " (or a full projects/<project>/secrets/<secret> name)");
        }
        return out;
    }

    static SecretManagerConfig from(Settings s, Optional<String> credentialsProject) {
        SecretName name = SecretName.parse(s, credentialsProject);
        VersionSelector version = VersionSelector.parse(s.get(GcpConfigKeys.SECRET_VERSION), name.version());
        URI endpoint;
        String from;
        if (s.isSet(GcpConfigKeys.ENDPOINT)) {
            endpoint = ConfigValues.httpUrl(s, GcpConfigKeys.ENDPOINT);
            from = GcpConfigKeys.ENDPOINT;
            if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
                throw new ConfigurationException(GcpConfigKeys.ENDPOINT + " must not have a query or fragment: expected https://host[:port][/path]");
            }
            if (!"https".equals(endpoint.getScheme().toLowerCase(Locale.ROOT)) && !IamCredentialsEndpoint.isLoopback(endpoint.getHost())) {
                throw new ConfigurationException(GcpConfigKeys.ENDPOINT + " must be an https URL (plain http is allowed only for a "
                        + "loopback address such as 127.0.0.1): access tokens must not cross the network in clear text");
            }
        } else if (name.location().isPresent()) {
            endpoint = URI.create("https://secretmanager." + name.location().get() + ".rep.googleapis.com");
            from = "the secret's location";
        } else {
            endpoint = URI.create(DEFAULT_ENDPOINT);
            from = "default";
        }
        Optional<Path> ca = s.get(GcpConfigKeys.CA_BUNDLE).map(Path::of);
        if (ca.isPresent() && !Files.isReadable(ca.get())) {
            throw new ConfigurationException(GcpConfigKeys.CA_BUNDLE + ": cannot read " + ca.get() + ": point it at a readable PEM file of CA certificates");
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        return new SecretManagerConfig(name, version, URI.create(base), from, ca);
    }

    /** {@code <endpoint>/v1/projects/P/secrets/S/versions/V:access}. */
    URI accessUri() {
        return URI.create(endpoint + "/v1/" + name.resource() + "/versions/" + version.value() + ":access");
    }

    /** The version's resource name, as messages show it. */
    String versionResource() {
        return name.resource() + "/versions/" + version.value();
    }

    /** Where the secret lives, as {@code SecretValue.location()} and errors show it. */
    String location() {
        return "gcp-secret-manager:" + name.resource();
    }
}
