package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ArtifactRepositoryFactory;

import java.net.URI;
import java.nio.file.Path;

/**
 * A store factory registered in this module's test resources for scheme {@code testfs}: {@code testfs:///dir} is a
 * local directory. Proves that other schemes are found with ServiceLoader, as the AWS module registers {@code s3}.
 */
public final class DirectoryTestFactory implements ArtifactRepositoryFactory {
    @Override
    public String scheme() {
        return "testfs";
    }

    @Override
    public ArtifactRepository create(URI root, Settings settings) {
        return new LocalArtifactRepository(root, Path.of(root.getPath()));
    }
}
