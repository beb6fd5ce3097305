package io.github.mlflowsecretsauth.mlflow.artifacts;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactPathsTest {

    @Test
    void relativePaths_areTrimmedOfSlashes() {
        assertThat(ArtifactPaths.check(null)).isEmpty();
        assertThat(ArtifactPaths.check("")).isEmpty();
        assertThat(ArtifactPaths.check("model/v1/")).isEqualTo("model/v1");
        assertThat(ArtifactPaths.join("", "a")).isEqualTo("a");
        assertThat(ArtifactPaths.join("a", "")).isEqualTo("a");
        assertThat(ArtifactPaths.join("a", "b/c")).isEqualTo("a/b/c");
    }

    @Test
    void dotDot_absolute_backslash_andDriveLetters_areRejectedNamingThePath() {
        for (String bad : new String[] {"../x", "a/../../x", "a/./b", "a//b", "/etc/passwd", "a\\b", "C:/x"}) {
            assertThatThrownBy(() -> ArtifactPaths.check(bad)).isInstanceOf(ArtifactException.class)
                    .hasMessageStartingWith("invalid artifact path '" + bad + "'");
        }
    }

    @Test
    void localTargets_stayInsideTheTargetDirectory() {
        Path dir = Path.of("/tmp/target");
        assertThat(ArtifactPaths.local(dir, "a/b.txt")).isEqualTo(Path.of("/tmp/target/a/b.txt"));
        assertThatThrownBy(() -> ArtifactPaths.local(dir, "../b.txt")).isInstanceOf(ArtifactException.class);
    }
}
