package io.github.mlflowsecretsauth.azure;

import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.azure.testing.AzureFixtures;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user with only the core and this module on the class path gets no other cloud's classes loaded: a
 * separate JVM whose class path is this module's runtime class path (written by the build to
 * target/runtime-classpath.txt: core, the Azure SDK and their dependencies, no test jars) fetches a header
 * from the testkit Key Vault through {@link SecretsAuth}, with {@code -Xlog:class+load}; the log must show
 * Azure classes and no AWS or Google ones.
 */
class ClassLoadingIsolationTest {

    @Test
    void onlyCoreAndAzureOnTheClassPath_fetchesAHeader_andLoadsNoAwsOrGoogleClass(@TempDir Path dir) throws Exception {
        assertThat(IsolatedJvm.runtimeClassPath())
                .noneMatch(e -> e.contains("testkit") || e.contains("junit") || e.contains("awssdk") || e.contains("jetty"));
        IsolatedJvm.Run run;
        try (AzureKeyVaultServer kv = AzureFixtures.server()) {
            kv.setSecret(AzureFixtures.SECRET, "{\"token\":\"isolated-token\"}");
            run = IsolatedJvm.run(dir, AzureFixtures.settings(kv), AzureFixtures.MLFLOW, "Bearer isolated-token");
        }
        assertThat(run.matched()).as(run.output()).isTrue();
        assertThat(run.loadedClasses()).as("the Azure SDK did the work")
                .anyMatch(c -> c.startsWith("com.azure.security.keyvault.")).anyMatch(c -> c.startsWith("com.azure.identity."));
        assertThat(run.loadedClasses()).noneMatch(c -> c.startsWith("software.amazon.")).noneMatch(c -> c.startsWith("com.google."));
    }
}
