package io.github.mlflowsecretsauth.aws.sigv4;

import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.credentials.ProjectRegion;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.RequestSigner;
import io.github.mlflowsecretsauth.spi.RequestSignerFactory;

import java.util.Optional;

/**
 * {@code MLFLOW_TRACKING_AWS_SIGV4=true}: signs MLflow requests with SigV4, service
 * {@code MLFLOW_TRACKING_AWS_SIGV4_SERVICE} (default {@code execute-api}), region from the project region
 * ({@code MLFLOW_AWS_DEFAULT_REGION}) then {@code AWS_REGION}, credentials from the project-scoped resolver.
 */
public final class SigV4RequestSignerFactory implements RequestSignerFactory {
    public static final String SERVICE = "MLFLOW_TRACKING_AWS_SIGV4_SERVICE";
    public static final String DEFAULT_SERVICE = "execute-api";

    @Override
    public Optional<RequestSigner> create(Settings settings) {
        if (!ConfigValues.bool(settings, ConfigKeys.TRACKING_AWS_SIGV4, false)) {
            return Optional.empty();
        }
        ProjectAwsCredentials credentials = ProjectAwsCredentials.resolve(settings);
        ProjectRegion region = credentials.region().orElseThrow(() -> new ConfigurationException(ConfigKeys.TRACKING_AWS_SIGV4
                + "=true needs a region: set MLFLOW_AWS_DEFAULT_REGION or AWS_REGION"));
        String service = settings.get(SERVICE).orElse(DEFAULT_SERVICE);
        if (!service.matches("[a-z0-9-]{1,64}")) {
            throw new ConfigurationException(SERVICE + " must be an AWS service signing name such as execute-api");
        }
        return Optional.of(new SigV4RequestSigner(credentials, region.region(), region.from(), service));
    }
}
