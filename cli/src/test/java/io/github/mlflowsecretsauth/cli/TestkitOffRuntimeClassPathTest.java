package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testing.ClassPathScan;
import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the shade plugin puts into the CLI's jar is this module's runtime class path: it carries the in-memory
 * tracking store of exec's optional and mock modes and no testkit class. ShadedJarIT checks the built jar itself.
 */
class TestkitOffRuntimeClassPathTest {

    @Test
    void runtimeClassPath_holdsTheTrackingStore_andNoTestkitClass() throws Exception {
        List<String> classPath = IsolatedJvm.runtimeClassPath();

        assertThat(ClassPathScan.entriesUnder(classPath, "io/github/mlflowsecretsauth/tracking/memory/MlflowServer.class"))
                .as("the scan sees the in-memory tracking store exec starts").hasSize(1);
        assertThat(ClassPathScan.entriesUnder(classPath, "io/github/mlflowsecretsauth/testkit/"))
                .as("testkit entries on the CLI's runtime class path").isEmpty();
        assertThat(classPath).noneMatch(element -> element.contains("mlflow-secrets-auth-testkit")
                || element.replace('\\', '/').contains("/testkit/target/"));
    }
}
