package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.testing.ClassPathScan;
import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A library user's class path (this module's runtime class path, as Maven resolved it) carries the in-memory
 * tracking store of the optional and mock modes, and no testkit class: no fake server, no test CA.
 */
class TestkitOffRuntimeClassPathTest {

    @Test
    void runtimeClassPath_holdsTheTrackingStore_andNoTestkitClass() throws Exception {
        List<String> classPath = IsolatedJvm.runtimeClassPath();

        assertThat(ClassPathScan.entriesUnder(classPath, "io/github/mlflowsecretsauth/tracking/memory/MlflowServer.class"))
                .as("the scan sees the in-memory tracking store the optional and mock modes start").hasSize(1);
        assertThat(ClassPathScan.entriesUnder(classPath, "io/github/mlflowsecretsauth/testkit/"))
                .as("testkit entries on the mlflow module's runtime class path").isEmpty();
        assertThat(classPath).noneMatch(element -> element.contains("mlflow-secrets-auth-testkit")
                || element.replace('\\', '/').contains("/testkit/target/"));
    }
}
