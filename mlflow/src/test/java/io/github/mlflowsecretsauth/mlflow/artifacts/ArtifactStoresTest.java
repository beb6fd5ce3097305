package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which store serves which artifact root; no store is contacted. */
class ArtifactStoresTest {
    private static final URI TRACKING = URI.create("https://mlflow.example.com:8443");
    private static final URI PROXY = URI.create("http://127.0.0.1:4321");

    @TempDir
    Path temp;

    private final Settings settings = Settings.builder().build();

    @Test
    void mlflowArtifactsRoots_goThroughTheProxy() {
        ArtifactStores stores = new ArtifactStores(TRACKING, PROXY, settings, List.of());
        assertThat(stores.open(URI.create("mlflow-artifacts:/1/r/artifacts"))).isInstanceOf(MlflowArtifactsRepository.class);
        assertThat(stores.open(URI.create("mlflow-artifacts://mlflow.example.com:8443/1/r/artifacts")))
                .isInstanceOf(MlflowArtifactsRepository.class);
        assertThat(stores.open(URI.create("https://mlflow.example.com:8443/api/2.0/mlflow-artifacts/artifacts/1/r/artifacts")))
                .isInstanceOf(MlflowArtifactsRepository.class);
    }

    @Test
    void anArtifactServerOtherThanTheTrackingServer_isRefused() {
        ArtifactStores stores = new ArtifactStores(TRACKING, PROXY, settings, List.of());
        assertThatThrownBy(() -> stores.open(URI.create("mlflow-artifacts://elsewhere:5000/1/r/artifacts")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("names the server elsewhere:5000, not the tracking server mlflow.example.com:8443");
    }

    @Test
    void fileRootsAndPlainPaths_areLocal() {
        ArtifactStores stores = new ArtifactStores(TRACKING, PROXY, settings, List.of());
        assertThat(stores.open(temp.toUri())).isInstanceOf(LocalArtifactRepository.class);
        assertThat(stores.open(URI.create(temp.toString()))).isInstanceOf(LocalArtifactRepository.class);
    }

    @Test
    void anUnknownScheme_isAOneLineErrorNamingTheSchemeAndTheModule() {
        ArtifactStores stores = new ArtifactStores(TRACKING, PROXY, settings, List.of());
        assertThatThrownBy(() -> stores.open(URI.create("s3://bucket/prefix/1/r/artifacts")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("no artifact store for scheme 's3' (artifact root s3://bucket/prefix/1/r/artifacts): add "
                        + "io.github.mlflowsecretsauth:mlflow-secrets-auth-aws to the class path");
        assertThatThrownBy(() -> stores.open(URI.create("gopher://x/y")))
                .hasMessageContaining("scheme 'gopher'").hasMessageNotContaining("\n");
    }

    @Test
    void otherSchemes_areFoundWithServiceLoader() throws Exception {
        ArtifactStores stores = ArtifactStores.create(TRACKING, PROXY, settings);
        URI root = URI.create("testfs://" + temp.toUri().getPath());
        try (ArtifactRepository repository = stores.open(root)) {
            assertThat(repository).isInstanceOf(LocalArtifactRepository.class);
            assertThat(repository.root()).isEqualTo(root);
        }
    }

    @Test
    void badMultipartSettings_nameTheVariable() {
        Settings bad = Settings.builder().set(ArtifactSettings.CHUNK_SIZE, "1024").build();
        assertThatThrownBy(() -> new ArtifactStores(TRACKING, PROXY, bad, List.of()))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE must be at least");
    }
}
