package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.mlflow.EmbeddedTracking;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.tracking.MlflowClient;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mock and optional modes' in-memory store serves artifacts too, so code under test runs unchanged. */
class EmbeddedStoreArtifactsTest {
    @TempDir
    Path temp;

    @Test
    void artifactsOfARunInTheEmbeddedStore_roundTrip() throws Exception {
        try (MlflowClient client = EmbeddedTracking.client("test")) {
            String runId = client.createRun(client.createExperiment("embedded")).getRunId();
            Path file = Files.writeString(temp.resolve("a.txt"), "embedded artifact");
            try (ArtifactClient artifacts = MlflowSecretsAuth.artifacts(client, runId)) {
                artifacts.logArtifact(file, "dir");
                assertThat(artifacts.listArtifacts("dir")).containsExactly(ArtifactInfo.file("dir/a.txt", 17));
                assertThat(artifacts.downloadArtifacts("dir/a.txt", temp.resolve("out"))).hasContent("embedded artifact");
            }
        }
    }

    @Test
    void aClientNotMadeByThisProject_isRefusedWithAHint() {
        try (MlflowClient plain = new MlflowClient("http://127.0.0.1:1")) {
            assertThatThrownBy(() -> MlflowSecretsAuth.artifacts(plain, "run"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MlflowSecretsAuth.mlflowClient");
        }
    }
}
