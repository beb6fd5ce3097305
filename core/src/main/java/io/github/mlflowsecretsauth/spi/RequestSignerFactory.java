package io.github.mlflowsecretsauth.spi;

import io.github.mlflowsecretsauth.config.Settings;

import java.util.Optional;

/**
 * Creates the {@link RequestSigner} when the settings ask for one; found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.github.mlflowsecretsauth.spi.RequestSignerFactory}).
 */
public interface RequestSignerFactory {

    /** A signer if the settings enable it (e.g. {@code MLFLOW_TRACKING_AWS_SIGV4=true}), else empty. */
    Optional<RequestSigner> create(Settings settings);
}
