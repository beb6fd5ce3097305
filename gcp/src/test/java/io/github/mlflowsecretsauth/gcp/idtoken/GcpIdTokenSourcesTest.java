package io.github.mlflowsecretsauth.gcp.idtoken;

import static io.github.mlflowsecretsauth.gcp.idtoken.IdTokenFixtures.AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import io.github.mlflowsecretsauth.testkit.gcp.GcpCall;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata server as the source (Compute Engine, GKE workload identity, Cloud Run): the library's
 * {@code ComputeEngineCredentials} asks {@code .../service-accounts/default/identity?audience=A&format=full}.
 * The library reads {@code GCE_METADATA_HOST} from the real process environment only, so a forked JVM runs the
 * engine (core + gcp on the class path); the testkit's clock stands still, so the token it would issue now is
 * the one the forked JVM must have sent (RS256 is deterministic).
 */
class GcpIdTokenSourcesTest {
    private static final URI MLFLOW = URI.create("https://mlflow.company.com/api/2.0/mlflow/runs/create");

    @TempDir
    Path dir;
    private IdTokenFixtures gcp;

    @BeforeEach
    void start() {
        gcp = new IdTokenFixtures(dir, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    @Test
    void theMetadataServer_mintsTheComputeAccountsIdTokenForTheAudience() throws Exception {
        Map<String, String> env = Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-id-token", "MLFLOW_GCP_ID_TOKEN_AUDIENCE", AUDIENCE,
                "CLOUDSDK_CONFIG", gcp.gcloudConfig.toString(), "GCE_METADATA_HOST", gcp.server.metadataHost(),
                "MLFLOW_SECRETS_ALLOWED_HOSTS", MLFLOW.getHost());
        String expected = gcp.server.idTokenFor(gcp.server.computeServiceAccount(), AUDIENCE);
        assertThat(gcp.server.idTokenKey().verify(expected)).hasValueSatisfying(c -> assertThat(c.getAudience()).containsExactly(AUDIENCE));

        IsolatedJvm.Run run = IsolatedJvm.run(dir, env, MLFLOW, "Bearer " + expected);

        assertThat(run.matched()).as(run.output()).isTrue();
        assertThat(run.output()).doesNotContain(expected);
        assertThat(run.loadedClasses()).contains("com.google.auth.oauth2.ComputeEngineCredentials");
        assertThat(gcp.server.calls(GcpCall.Kind.METADATA_ID_TOKEN)).singleElement().satisfies(c -> {
            assertThat(c.succeeded()).isTrue();
            assertThat(c.principal()).contains(gcp.server.computeServiceAccount());
        });
        assertThat(gcp.server.calls(GcpCall.Kind.METADATA_TOKEN)).as("no access token is asked for").isEmpty();
    }
}
