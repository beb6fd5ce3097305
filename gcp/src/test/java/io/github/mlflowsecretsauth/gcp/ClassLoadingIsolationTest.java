package io.github.mlflowsecretsauth.gcp;

import java.util.HashMap;
import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.RESOURCE;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import io.github.mlflowsecretsauth.testkit.gcp.GcpCall;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user with only the core and the gcp module on the class path gets no AWS or Azure class loaded.
 * A forked JVM runs {@link IsolationProbe} with exactly core + gcp + their runtime dependencies (the
 * list maven-dependency-plugin writes to {@code target/runtime-classpath.txt}, no test jars), logs
 * every loaded class with {@code -Xlog:class+load}, and fetches a header from the testkit: once with
 * a service-account key file and once through the metadata server ({@code GCE_METADATA_HOST}, which
 * the Google auth library reads from the real process environment, so only a forked JVM can test it).
 */
class ClassLoadingIsolationTest {
    private static final String TOKEN = "isolation-token-61f0";

    private GcpFixtures gcp;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        gcp = GcpFixtures.start(dir);
        gcp.server.addVersion(SECRET, "{\"token\":\"" + TOKEN + "\"}");
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    @Test
    void keyFileFetch_loadsNoAwsOrAzureClass() throws Exception {
        List<String> classes = runProbe(Map.of("GOOGLE_APPLICATION_CREDENTIALS", gcp.keyFile.toString()));
        assertIsolated(classes);
        assertThat(classes).anyMatch(c -> c.equals("com.google.auth.oauth2.ServiceAccountCredentials"));
        assertThat(gcp.server.calls(GcpCall.Kind.TOKEN)).singleElement().satisfies(c -> assertThat(c.principal()).contains(gcp.reader.email()));
    }

    @Test
    void metadataServerFetch_loadsNoAwsOrAzureClass() throws Exception {
        List<String> classes = runProbe(Map.of("GCE_METADATA_HOST", gcp.server.metadataHost()));
        assertIsolated(classes);
        assertThat(classes).anyMatch(c -> c.equals("com.google.auth.oauth2.ComputeEngineCredentials"));
        assertThat(gcp.server.calls(GcpCall.Kind.METADATA_TOKEN)).singleElement().satisfies(c -> assertThat(c.succeeded()).isTrue());
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).singleElement()
                .satisfies(c -> assertThat(c.principal()).contains(gcp.server.computeServiceAccount()));
    }

    private static void assertIsolated(List<String> classes) {
        assertThat(classes).as("the probe's classes were logged").anyMatch(c -> c.startsWith("io.github.mlflowsecretsauth.gcp.secretmanager."));
        assertThat(classes).noneMatch(c -> c.startsWith("software.amazon.")).noneMatch(c -> c.startsWith("com.azure."))
                .noneMatch(c -> c.startsWith("com.microsoft."));
    }

    /** Runs the probe with the given credentials settings; returns the loaded class names. */
    private List<String> runProbe(Map<String, String> credentials) throws Exception {
        assertThat(IsolatedJvm.runtimeClassPath()).noneMatch(e -> e.contains("testkit") || e.contains("junit")
                || e.contains("mlflow-secrets-auth-aws") || e.contains("awssdk") || e.contains("azure"))
                .anyMatch(e -> e.contains("google-auth-library-oauth2-http"));
        Map<String, String> env = new HashMap<>(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-secret-manager", "MLFLOW_GCP_SECRET_NAME", RESOURCE,
                "MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", gcp.server.endpoint().toString(), "CLOUDSDK_CONFIG", gcp.gcloudConfig.toString(),
                "MLFLOW_SECRETS_ALLOWED_HOSTS", GcpFixtures.MLFLOW.getHost()));
        env.putAll(credentials);
        IsolatedJvm.Run run = IsolatedJvm.run(dir, env, GcpFixtures.MLFLOW, "Bearer " + TOKEN);
        assertThat(run.matched()).as(run.output()).isTrue();
        assertThat(run.loadedClasses()).hasSizeGreaterThan(500);
        return run.loadedClasses();
    }
}
