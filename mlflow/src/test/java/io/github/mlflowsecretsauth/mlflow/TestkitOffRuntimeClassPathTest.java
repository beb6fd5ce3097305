package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.testing.ClassPathScan;
import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import org.junit.jupiter.api.Test;

/**
 * A library user's class path (this module's runtime class path, as Maven resolved it) carries the in-memory
 * tracking store of the optional and mock modes, and no testkit class: no fake server, no test CA.
 */
class TestkitOffRuntimeClassPathTest {

    @Test
    void runtimeClassPath_holdsTheTrackingStore_andNoTestkitClass() throws Exception {
        ClassPathScan.assertTrackingStoreWithoutTestkit(IsolatedJvm.runtimeClassPath(), "the mlflow module's runtime class path");
    }
}
