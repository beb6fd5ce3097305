package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testing.ClassPathScan;
import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import org.junit.jupiter.api.Test;

/**
 * What the shade plugin puts into the CLI's jar is this module's runtime class path: it carries the in-memory
 * tracking store of exec's optional and mock modes and no testkit class. ShadedJarIT checks the built jar itself.
 */
class TestkitOffRuntimeClassPathTest {

    @Test
    void runtimeClassPath_holdsTheTrackingStore_andNoTestkitClass() throws Exception {
        ClassPathScan.assertTrackingStoreWithoutTestkit(IsolatedJvm.runtimeClassPath(), "the CLI's runtime class path");
    }
}
