package io.github.mlflowsecretsauth.gcp.credentials;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the Google auth library's IAM credentials calls (impersonation's {@code generateIdToken}, which the library
 * always addresses to {@value #DEFAULT}) go instead: {@code MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT}, for a Private
 * Service Connect endpoint or a test double. https is required except on a literal loopback address. Also the one
 * loopback rule of the gcp module's endpoint settings. Stateless.
 */
public final class IamCredentialsEndpoint {
    /** The public IAM credentials endpoint. */
    public static final String DEFAULT = "https://iamcredentials.googleapis.com";

    private IamCredentialsEndpoint() {
    }

    static Optional<URI> from(Settings s) {
        if (!s.isSet(GcpConfigKeys.IAM_CREDENTIALS_ENDPOINT)) {
            return Optional.empty();
        }
        URI endpoint = ConfigValues.httpUrl(s, GcpConfigKeys.IAM_CREDENTIALS_ENDPOINT);
        if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                || (endpoint.getRawPath() != null && !endpoint.getRawPath().matches("/*"))) {
            throw new ConfigurationException(GcpConfigKeys.IAM_CREDENTIALS_ENDPOINT + " must be a base URL without a path, query "
                    + "or fragment: expected https://host[:port]");
        }
        if (!"https".equals(endpoint.getScheme().toLowerCase(Locale.ROOT)) && !isLoopback(endpoint.getHost())) {
            throw new ConfigurationException(GcpConfigKeys.IAM_CREDENTIALS_ENDPOINT + " must be an https URL (plain http is allowed "
                    + "only for a loopback address such as 127.0.0.1): access tokens must not cross the network in clear text");
        }
        return Optional.of(URI.create(endpoint.toString().replaceAll("/+$", "")));
    }

    /** Whether {@code host} is a literal loopback address or {@code localhost}; a name is never resolved. */
    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // never resolve a name here: only literal addresses count
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
