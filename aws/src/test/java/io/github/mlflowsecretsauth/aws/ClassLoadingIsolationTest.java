package io.github.mlflowsecretsauth.aws;

import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user with only the core and this module on the class path gets no other cloud's classes loaded: a
 * separate JVM whose class path is this module's runtime class path (written by the build to
 * target/runtime-classpath.txt: core, the AWS SDK and their dependencies, no test jars) fetches a header
 * from the testkit Secrets Manager through {@link SecretsAuth}, with {@code -Xlog:class+load}; the log
 * must show AWS classes and no Azure, MSAL or Google ones.
 */
class ClassLoadingIsolationTest {

    @Test
    void onlyCoreAndAwsOnTheClassPath_fetchesAHeader_andLoadsNoAzureOrGoogleClass(@TempDir Path dir) throws Exception {
        assertThat(IsolatedJvm.runtimeClassPath())
                .noneMatch(e -> e.contains("testkit") || e.contains("junit") || e.contains("com/azure") || e.contains("jetty"));
        IsolatedJvm.Run run;
        try (AwsServer aws = AwsFixtures.server()) {
            aws.createSecret(AwsFixtures.SECRET, "{\"token\":\"isolated-token\"}");
            run = IsolatedJvm.run(dir, AwsFixtures.settings(aws), AwsFixtures.MLFLOW, "Bearer isolated-token");
        }
        assertThat(run.matched()).as(run.output()).isTrue();
        assertThat(run.loadedClasses()).as("the AWS SDK did the work")
                .anyMatch(c -> c.startsWith("software.amazon.awssdk.services.secretsmanager."));
        assertThat(run.loadedClasses()).noneMatch(c -> c.startsWith("com.azure.")).noneMatch(c -> c.startsWith("com.microsoft.aad."))
                .noneMatch(c -> c.startsWith("com.google."));
    }
}
