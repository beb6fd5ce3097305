package io.github.mlflowsecretsauth.mlflow.artifacts;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RunArtifactRootTest {

    @Test
    void withoutAnOverride_theRunsUriIsUsed() {
        assertThat(RunArtifactRoot.resolve("mlflow-artifacts:/1/abc/artifacts", "1", "abc", Optional.empty()))
                .isEqualTo(URI.create("mlflow-artifacts:/1/abc/artifacts"));
    }

    @Test
    void anOverride_mapsMlflowArtifactsPathsBelowIt_asArtifactsDestinationDoes() {
        assertThat(RunArtifactRoot.resolve("mlflow-artifacts:/1/abc/artifacts", "1", "abc", Optional.of("s3://bucket/prefix/")))
                .isEqualTo(URI.create("s3://bucket/prefix/1/abc/artifacts"));
        assertThat(RunArtifactRoot.resolve("mlflow-artifacts://mlflow:5000/1/abc/artifacts", "1", "abc",
                Optional.of("s3://bucket/prefix"))).isEqualTo(URI.create("s3://bucket/prefix/1/abc/artifacts"));
    }

    @Test
    void anOverride_keepsARunUriAlreadyBelowIt_andPlacesOthersByExperimentAndRun() {
        assertThat(RunArtifactRoot.resolve("s3://bucket/prefix/7/r/artifacts", "7", "r", Optional.of("s3://bucket/prefix")))
                .isEqualTo(URI.create("s3://bucket/prefix/7/r/artifacts"));
        assertThat(RunArtifactRoot.resolve("file:///srv/mlruns/7/r/artifacts", "7", "r", Optional.of("s3://bucket/prefix")))
                .isEqualTo(URI.create("s3://bucket/prefix/7/r/artifacts"));
    }

    @Test
    void mlflowArtifactsRoots_resolveAsMlflowDoes() {
        assertThat(MlflowArtifactsRoot.path(URI.create("mlflow-artifacts:/1/abc/artifacts"))).isEqualTo("1/abc/artifacts");
        assertThat(MlflowArtifactsRoot.path(URI.create("mlflow-artifacts://host:5000/1/abc/artifacts/"))).isEqualTo("1/abc/artifacts");
        assertThat(MlflowArtifactsRoot.authority(URI.create("mlflow-artifacts://host:5000/1"))).hasValue("host:5000");
        assertThat(MlflowArtifactsRoot.authority(URI.create("mlflow-artifacts:/1"))).isEmpty();
        URI http = URI.create("https://mlflow.example.com/prefix/api/2.0/mlflow-artifacts/artifacts/1/abc/artifacts");
        assertThat(MlflowArtifactsRoot.isHttpArtifactsRoot(http)).isTrue();
        assertThat(MlflowArtifactsRoot.path(http)).isEqualTo("1/abc/artifacts");
    }
}
