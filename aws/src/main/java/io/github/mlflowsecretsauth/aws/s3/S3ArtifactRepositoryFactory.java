package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.credentials.ProjectRegion;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ArtifactRepositoryFactory;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.regions.Region;

/**
 * The {@code s3} scheme: an {@link S3ArtifactRepository} for {@code s3://bucket/prefix} with the project-scoped
 * AWS credentials ({@code MLFLOW_AWS_*} &gt; {@code AWS_*} &gt; default chain) and region. Contacts nothing
 * until the first transfer. Registered with {@link java.util.ServiceLoader}. Thread-safe (stateless).
 */
public final class S3ArtifactRepositoryFactory implements ArtifactRepositoryFactory {
    /** Where an {@code s3://} artifact root comes from when a run does not say. */
    public static final String ARTIFACT_ROOT = "MLFLOW_ARTIFACT_ROOT";

    @Override
    public String scheme() {
        return "s3";
    }

    @Override
    public ArtifactRepository create(URI root, Settings settings) {
        String variable = settings.get(ARTIFACT_ROOT).filter(v -> v.equals(root.toString())).isPresent()
                ? ARTIFACT_ROOT : "the artifact URI";
        return open(S3Location.of(variable, root), settings);
    }

    /** The repository of {@code MLFLOW_ARTIFACT_ROOT}, if that is an {@code s3://} root. */
    public static Optional<S3ArtifactRepository> fromArtifactRoot(Settings settings) {
        return settings.get(ARTIFACT_ROOT).filter(v -> v.regionMatches(true, 0, "s3://", 0, 5))
                .map(v -> open(S3Location.parse(ARTIFACT_ROOT, v), settings));
    }

    /** Builds the repository; the credentials and client it opens are closed with it. */
    public static S3ArtifactRepository open(S3Location location, Settings settings) {
        S3Settings s3 = S3Settings.from(settings);
        ProjectAwsCredentials credentials = ProjectAwsCredentials.resolve(settings);
        try {
            Region region = credentials.region().map(ProjectRegion::region).orElse(Region.US_EAST_1);
            return new S3ArtifactRepository(location, s3, credentials, S3Clients.create(credentials, region, s3));
        } catch (RuntimeException e) {
            credentials.close();
            throw e;
        }
    }
}
