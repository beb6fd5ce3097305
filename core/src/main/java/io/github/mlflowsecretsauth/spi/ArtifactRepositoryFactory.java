package io.github.mlflowsecretsauth.spi;

import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.config.Settings;

import java.net.URI;

/**
 * Creates an {@link ArtifactRepository} for an artifact root whose scheme a module handles (for example
 * {@code s3} in the AWS module). Found with {@link java.util.ServiceLoader}; register an implementation in
 * {@code META-INF/services/io.github.mlflowsecretsauth.spi.ArtifactRepositoryFactory}. The MLflow module
 * handles {@code mlflow-artifacts}, {@code http(s)} and {@code file} roots itself.
 */
public interface ArtifactRepositoryFactory {

    /** The URI scheme handled, lower case, e.g. {@code s3}. */
    String scheme();

    /**
     * Creates a repository for {@code root}. Must not contact the store; throws a
     * {@link io.github.mlflowsecretsauth.error.ConfigurationException} naming a bad setting.
     */
    ArtifactRepository create(URI root, Settings settings);
}
