package io.github.mlflowsecretsauth.aws.client;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import java.net.URI;
import java.util.Optional;

/**
 * A configured endpoint for one AWS service, read as the AWS SDKs read it but through
 * {@link Settings}: {@code AWS_ENDPOINT_URL_<SERVICE>}, then {@code AWS_ENDPOINT_URL}, neither when
 * {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} is true. Set as the client's {@code endpointOverride}.
 * Immutable.
 *
 * @param uri      the endpoint
 * @param variable the variable it came from
 */
public record EndpointOverride(URI uri, String variable) {

    /**
     * @param serviceVariable e.g. {@link AwsConfigKeys#ENDPOINT_URL_SECRETS_MANAGER}
     * @throws io.github.mlflowsecretsauth.error.ConfigurationException if the URL is not an http(s) URL
     */
    public static Optional<EndpointOverride> resolve(Settings settings, String serviceVariable) {
        if (ConfigValues.bool(settings, AwsConfigKeys.IGNORE_CONFIGURED_ENDPOINT_URLS, false)) {
            return Optional.empty();
        }
        for (String name : new String[] {serviceVariable, AwsConfigKeys.ENDPOINT_URL}) {
            Optional<String> v = settings.get(name);
            if (v.isPresent()) {
                return Optional.of(new EndpointOverride(ConfigValues.httpUrl(name, v.get()), name));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return uri + " (" + variable + ")";
    }
}
