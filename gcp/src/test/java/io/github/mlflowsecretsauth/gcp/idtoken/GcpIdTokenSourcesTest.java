package io.github.mlflowsecretsauth.gcp.idtoken;

import static io.github.mlflowsecretsauth.gcp.idtoken.IdTokenFixtures.AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.IsolatedJvm;
import io.github.mlflowsecretsauth.testkit.gcp.ServiceAccount;
import java.nio.file.Files;
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
 * Impersonation as the source: an {@code impersonated_service_account} file whose source is a service-account key;
 * the library's {@code ImpersonatedCredentials} calls IAM credentials {@code generateIdToken} for the target account
 * (at {@code MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT}, here the testkit), authorised by the source identity.
 *
 * <p>The metadata server as the source (Compute Engine, GKE workload identity, Cloud Run): the library's
 * {@code ComputeEngineCredentials} asks {@code .../service-accounts/default/identity?audience=A&format=full}.
 * The library reads {@code GCE_METADATA_HOST} from the real process environment only, so a forked JVM runs the
 * engine (core + gcp on the class path); the testkit's clock stands still, so the token it would issue now is
 * the one the forked JVM must have sent (RS256 is deterministic).
 */
class GcpIdTokenSourcesTest {
    private static final URI MLFLOW = URI.create("https://mlflow.company.com/api/2.0/mlflow/runs/create");
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void impersonation_mintsTheTargetAccountsIdToken_throughIamCredentialsGenerateIdToken() throws Exception {
        ServiceAccount target = gcp.server.createServiceAccount("mlflow-invoker");
        ObjectNode file = JSON.createObjectNode();
        file.put("type", "impersonated_service_account");
        file.put("service_account_impersonation_url", gcp.server.endpoint() + "/v1/projects/-/serviceAccounts/" + target.email()
                + ":generateAccessToken");
        file.putArray("delegates");
        file.set("source_credentials", JSON.readTree(gcp.caller.keyFileJson(gcp.server.tokenUri())));
        Path path = Files.writeString(dir.resolve("impersonation.json"), JSON.writeValueAsString(file));

        try (SecretsAuth auth = gcp.engine(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", path.toString(),
                "MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT", gcp.server.endpoint().toString()))) {
            String header = auth.headersFor(MLFLOW).get("Authorization");
            assertThat(header).startsWith("Bearer ");
            JWTClaimsSet claims = gcp.server.idTokenKey().verify(header.substring(7)).orElseThrow();
            assertThat(claims.getAudience()).containsExactly(AUDIENCE);
            assertThat(claims.getStringClaim("email")).isEqualTo(target.email());
            assertThat(auth.currentSnapshot().expiresAt()).contains(claims.getExpirationTime().toInstant());
            assertThat(auth.chain().get(0).describe()).containsEntry("service account", target.email());
        }
        assertThat(gcp.server.calls(GcpCall.Kind.GENERATE_ID_TOKEN)).singleElement().satisfies(c -> {
            assertThat(c.succeeded()).isTrue();
            assertThat(c.principal()).as("the source identity calls IAM credentials").contains(gcp.caller.email());
            assertThat(c.resource()).isEqualTo("serviceAccounts/" + target.email() + ":generateIdToken");
        });
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
