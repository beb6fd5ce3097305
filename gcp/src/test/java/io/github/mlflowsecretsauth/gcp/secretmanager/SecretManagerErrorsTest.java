package io.github.mlflowsecretsauth.gcp.secretmanager;

import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.RESOURCE;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.gcp.GcpCall;
import io.github.mlflowsecretsauth.testkit.gcp.GcpFault;
import io.github.mlflowsecretsauth.testkit.gcp.VersionState;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failure of the gcp-secret-manager provider, produced by the testkit server over real HTTP with
 * the real Google auth library, seen through the engine: the exception type, that the one-line message
 * names the resource, the identity and what to check, and that it never holds the secret's value or key.
 */
class SecretManagerErrorsTest {
    private static final String CANARY_VALUE = "CANARYgcpSecretValue3c4d";

    private final Engines engines = new Engines();
    private GcpFixtures gcp;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        gcp = GcpFixtures.start(dir);
        gcp.server.addVersion(SECRET, "{\"token\":\"" + CANARY_VALUE + "\"}");
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private SecretsAuthException failure(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            auth.headersFor(MLFLOW);
        } catch (SecretsAuthException e) {
            assertThat(e.getMessage()).doesNotContain(CANARY_VALUE).doesNotContain("PRIVATE KEY").doesNotContain("ya29.")
                    .doesNotContain("\n");
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void unknownSecret_isNotFound_namingTheVariableAndProjectSource() {
        SecretsAuthException e = failure(gcp.settings("MLFLOW_GCP_SECRET_NAME", "projects/mlflow-prod/secrets/other"));
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("projects/mlflow-prod/secrets/other").contains("NOT_FOUND").contains("MLFLOW_GCP_SECRET_NAME")
                .contains("project (from MLFLOW_GCP_SECRET_NAME)");
        assertThat(engines.sleeps).as("not retried").isEmpty();
    }

    @Test
    void unknownVersion_isNotFound_namingTheVersionVariable() {
        SecretsAuthException e = failure(gcp.settings("MLFLOW_GCP_SECRET_VERSION", "7"));
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("version 7 of the secret " + RESOURCE).contains("MLFLOW_GCP_SECRET_VERSION");
    }

    @Test
    void permissionDenied_isAccessDenied_namingTheServiceAccountAndTheRole() {
        gcp.server.deny(gcp.reader.email(), SECRET, true);
        SecretsAuthException e = failure(gcp.settings());
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("PERMISSION_DENIED").contains(RESOURCE + "/versions/latest").contains(gcp.reader.email())
                .contains("GOOGLE_APPLICATION_CREDENTIALS").contains("roles/secretmanager.secretAccessor");
        assertThat(engines.sleeps).isEmpty();
    }

    @Test
    void disabledVersion_saysSoAndHowToEnableIt() {
        gcp.server.setVersionState(SECRET, 1, VersionState.DISABLED);
        SecretsAuthException e = failure(gcp.settings());
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).isEqualTo("version 1 of " + RESOURCE + " is disabled (FAILED_PRECONDITION): enable it (gcloud secrets "
                + "versions enable 1 --secret=mlflow-auth --project=mlflow-prod) or point MLFLOW_GCP_SECRET_VERSION at an enabled version");
    }

    @Test
    void destroyedVersion_saysItsDataIsGone() {
        gcp.server.addVersion(SECRET, "v2");
        gcp.server.setVersionState(SECRET, 1, VersionState.DESTROYED);
        SecretsAuthException e = failure(gcp.settings("MLFLOW_GCP_SECRET_VERSION", "1"));
        assertThat(e).isInstanceOf(SecretNotFoundException.class);
        assertThat(e.getMessage()).contains("version 1 of " + RESOURCE + " is destroyed").contains("add a new version");
    }

    @Test
    void throttling_isRetriedWithBackoff_andThenSucceeds() {
        gcp.server.failNext(2, GcpFault.RESOURCE_EXHAUSTED);
        try (SecretsAuth auth = engines.engine(gcp.settings())) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + CANARY_VALUE);
        }
        assertThat(engines.sleeps).as("two backoffs, recorded instead of slept").hasSize(2);
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).extracting(GcpCall::status).containsExactly(429, 429, 200);
        assertThat(gcp.server.calls(GcpCall.Kind.TOKEN)).as("the token is reused across attempts").hasSize(1);
    }

    @Test
    void persistentUnavailability_failsTransient_afterTheEnginesRetries() {
        gcp.server.failNext(10, GcpFault.UNAVAILABLE);
        SecretsAuthException e = failure(gcp.settings());
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("HTTP 503 (UNAVAILABLE)").contains(RESOURCE);
        assertThat(gcp.server.accessCount()).isEqualTo(3);
    }

    @Test
    void checksumMismatch_isAClearTransientError_andTheDataIsNotUsed() {
        gcp.server.corruptChecksums(true);
        SecretsAuthException e = failure(gcp.settings());
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.getMessage()).isEqualTo("the payload of " + RESOURCE + "/versions/latest failed its CRC32C check (the data received "
                + "does not match payload.dataCrc32c): it was damaged on the way and was not used");
        gcp.server.corruptChecksums(false);
        try (SecretsAuth auth = engines.engine(gcp.settings())) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + CANARY_VALUE);
        }
    }

    @Test
    void tokenEndpointRefusingTheKey_isAccessDenied_namingTheCredentialSourceAndEndpoint() {
        gcp.server.rotateKey(gcp.reader);
        SecretsAuthException e = failure(gcp.settings());
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("the token endpoint " + gcp.server.tokenUri() + " refused service-account key " + gcp.reader.email()
                + " from GOOGLE_APPLICATION_CREDENTIALS").contains("invalid_grant").contains("Invalid JWT Signature")
                .contains("create a new key");
        assertThat(gcp.server.accessCount()).isZero();
    }

    @Test
    void unreachableTokenEndpoint_isTransient_namingIt() throws Exception {
        Path key = Files.writeString(dir.resolve("down.json"), gcp.reader.keyFileJson(URI.create("http://127.0.0.1:1/token")));
        SecretsAuthException e = failure(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", key.toString()));
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("cannot connect to the token endpoint http://127.0.0.1:1/token of service-account key");
    }

    @Test
    void tokenRejectedEvenAfterARefresh_isAccessDenied_namingTheIdentity() {
        gcp.server.tokenLifetime(Duration.ZERO); // every token is expired at the server as soon as it is issued
        SecretsAuthException e = failure(gcp.settings());
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        assertThat(e.getMessage()).contains("rejected the access token of service-account key " + gcp.reader.email())
                .contains("even after a refresh (UNAUTHENTICATED)");
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).extracting(GcpCall::status).containsExactly(401, 401);
    }

    @Test
    void unreachableSecretManager_isTransient_namingTheEndpoint() {
        SecretsAuthException e = failure(gcp.settings("MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", "http://127.0.0.1:1"));
        assertThat(e).isInstanceOf(BackendUnavailableException.class);
        assertThat(e.getMessage()).contains("cannot connect to Secret Manager at http://127.0.0.1:1");
        assertThat(engines.sleeps).hasSize(2);
    }

    @Test
    void badSettings_failAtBuild_withOneLineNamingTheVariable_withoutEchoingIt() throws Exception {
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_NAME", CANARY_VALUE + " pasted"), "MLFLOW_GCP_SECRET_NAME is not a valid secret id");
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_NAME", "projects/x/secrets/" + CANARY_VALUE + "/y"), "MLFLOW_GCP_SECRET_NAME is not a Secret Manager resource name");
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_NAME", "projects/Bad_Project/secrets/s"), "MLFLOW_GCP_SECRET_NAME is not a Google Cloud project id");
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_NAME", "s", "GOOGLE_CLOUD_PROJECT", "no"), "GOOGLE_CLOUD_PROJECT is not a Google Cloud project id");
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_VERSION", "two words"), "MLFLOW_GCP_SECRET_VERSION is not a valid version");
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_VERSION", "2", "MLFLOW_GCP_SECRET_NAME", RESOURCE + "/versions/3"), "disagree");
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", "http://secretmanager.example.com"), "must be an https URL");
        assertConfig(gcp.settings("MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", "ftp://x"), "MLFLOW_GCP_SECRET_MANAGER_ENDPOINT must be an http or https URL");
        assertConfig(gcp.settings("MLFLOW_GCP_CA_BUNDLE", dir.resolve("none.pem").toString()), "MLFLOW_GCP_CA_BUNDLE: cannot read");
        assertConfig(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", dir.resolve("missing.json").toString()),
                "GOOGLE_APPLICATION_CREDENTIALS: " + dir.resolve("missing.json") + " does not exist");
        Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"private_key\": \"" + CANARY_VALUE);
        assertConfig(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", notJson.toString()), "is not a JSON object");
        Path wrongType = Files.writeString(dir.resolve("type.json"), "{\"type\": \"api_key\", \"key\": \"" + CANARY_VALUE + "\"}");
        assertConfig(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", wrongType.toString()), "has the unsupported type 'api_key'");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"type\": \"service_account\", \"client_email\": \"a@b\", "
                + "\"private_key\": \"-----BEGIN PRIVATE KEY-----\\n" + CANARY_VALUE + "\\n-----END PRIVATE KEY-----\\n\"}");
        assertConfig(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", broken.toString()), "is not a usable Google credentials file");
        assertConfig(gcp.settings("MLFLOW_GCP_TTL_SEC", "soon"), "MLFLOW_GCP_TTL_SEC");
        assertConfig(gcp.settings("MLFLOW_GCP_AUTH_MODE", "digest"), "MLFLOW_GCP_AUTH_MODE");
        assertThat(gcp.server.calls()).isEmpty();
    }

    private void assertConfig(Map<String, String> settings, String expected) {
        ThrowingCallable build = () -> engines.engine(settings).close();
        assertThatThrownBy(build).isInstanceOf(ConfigurationException.class).hasMessageContaining(expected)
                .hasMessageNotContaining(CANARY_VALUE).hasMessageNotContaining("two words").hasMessageNotContaining("\n");
    }
}
