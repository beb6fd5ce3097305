package io.github.mlflowsecretsauth.gcp.secretmanager;

import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.MLFLOW;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.RESOURCE;
import static io.github.mlflowsecretsauth.gcp.testing.GcpFixtures.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.ProviderStatus;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.gcp.GcpCall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gcp-secret-manager provider through the engine, with the real Google auth library getting
 * tokens from the testkit's OAuth2 endpoint and the REST call going to the testkit Secret Manager.
 */
class SecretManagerProviderTest {
    private static final String TOKEN = "mlflow-token-5b2c";

    private final Engines engines = new Engines();
    private GcpFixtures gcp;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        gcp = GcpFixtures.start(dir);
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private Map<String, String> headers(Map<String, String> settings) {
        try (SecretsAuth auth = engines.engine(settings)) {
            return auth.headersFor(MLFLOW);
        }
    }

    private ProviderStatus status(SecretsAuth auth) {
        return auth.providers().stream().filter(p -> p.name().equals("gcp-secret-manager")).findFirst().orElseThrow();
    }

    @Test
    void jsonToken_atLatest_becomesBearerHeader_readWithTheServiceAccountsToken() {
        gcp.server.addVersion(SECRET, "{\"token\":\"old\"}");
        gcp.server.addVersion(SECRET, "{\"token\":\"" + TOKEN + "\"}");
        assertThat(headers(gcp.settings())).containsExactly(Map.entry("Authorization", "Bearer " + TOKEN));
        assertThat(gcp.server.calls(GcpCall.Kind.TOKEN)).singleElement().satisfies(c -> assertThat(c.principal()).contains(gcp.reader.email()));
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).singleElement().satisfies(c -> {
            assertThat(c.resource()).isEqualTo(RESOURCE + "/versions/latest");
            assertThat(c.principal()).contains(gcp.reader.email());
        });
    }

    @Test
    void bareToken_isATokenAndTrailingNewlineIsDropped() {
        gcp.server.addVersion(SECRET, TOKEN + "\n");
        assertThat(headers(gcp.settings())).containsEntry("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void usernameAndPassword_inBasicMode_becomeBasicHeader() {
        gcp.server.addVersion(SECRET, "{\"username\":\"mlflow\",\"password\":\"pw-7\"}");
        String basic = "Basic " + Base64.getEncoder().encodeToString("mlflow:pw-7".getBytes(StandardCharsets.UTF_8));
        assertThat(headers(gcp.settings("MLFLOW_GCP_AUTH_MODE", "basic"))).containsEntry("Authorization", basic);
    }

    @Test
    void fixedVersionNumberOrAlias_selectsThatVersion() {
        gcp.server.addVersion(SECRET, "first");
        gcp.server.addVersion(SECRET, "second");
        gcp.server.addVersion(SECRET, "third");
        gcp.server.setAlias(SECRET, "prod", 2);
        assertThat(headers(gcp.settings("MLFLOW_GCP_SECRET_VERSION", "1"))).containsEntry("Authorization", "Bearer first");
        assertThat(headers(gcp.settings("MLFLOW_GCP_SECRET_VERSION", "prod"))).containsEntry("Authorization", "Bearer second");
        assertThat(headers(gcp.settings("MLFLOW_GCP_SECRET_NAME", RESOURCE + "/versions/1"))).containsEntry("Authorization", "Bearer first");
        assertThat(headers(gcp.settings())).containsEntry("Authorization", "Bearer third");
    }

    @Test
    void shortName_takesTheProjectFromGoogleCloudProject_orFromTheKeyFile() {
        gcp.server.addVersion(SECRET, TOKEN);
        Map<String, String> s = gcp.settings("MLFLOW_GCP_SECRET_NAME", SECRET, "GOOGLE_CLOUD_PROJECT", "mlflow-prod");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + TOKEN);
            assertThat(status(auth).details()).containsEntry("project", "mlflow-prod (GOOGLE_CLOUD_PROJECT)");
        }
        try (SecretsAuth auth = engines.engine(gcp.settings("MLFLOW_GCP_SECRET_NAME", SECRET))) {
            assertThat(auth.headersFor(MLFLOW)).containsEntry("Authorization", "Bearer " + TOKEN);
            assertThat(status(auth).details()).containsEntry("project", "mlflow-prod (the credentials' project_id)");
        }
        assertThat(gcp.server.calls(GcpCall.Kind.ACCESS)).extracting(GcpCall::resource).containsOnly(RESOURCE + "/versions/latest");
    }

    @Test
    void snapshot_carriesTheVersionNumberReadAndTheLocation() {
        gcp.server.addVersion(SECRET, "a");
        gcp.server.addVersion(SECRET, TOKEN);
        try (SecretsAuth auth = engines.engine(gcp.settings())) {
            HeaderSnapshot snap = auth.snapshotFor(MLFLOW).orElseThrow();
            assertThat(snap.provider()).isEqualTo("gcp-secret-manager");
            assertThat(snap.location()).isEqualTo("gcp-secret-manager:" + RESOURCE);
            assertThat(snap.version()).contains("2");
            assertThat(auth.chain().get(0).describe()).containsEntry("version read", "2");
        }
    }

    @Test
    void payloadWithoutChecksum_isAccepted() {
        gcp.server.sendChecksums(false);
        gcp.server.addVersion(SECRET, TOKEN);
        assertThat(headers(gcp.settings())).containsEntry("Authorization", "Bearer " + TOKEN);
    }

    @Test
    void binaryThatIsNotUtf8_becomesABearerTokenOfItsBase64() {
        byte[] bytes = {(byte) 0x8f, 0x00, (byte) 0xff, 0x10, (byte) 0xc3, 0x28};
        gcp.server.addVersion(SECRET, bytes);
        assertThat(headers(gcp.settings())).containsEntry("Authorization", "Bearer " + Base64.getEncoder().encodeToString(bytes));
    }

    @Test
    void describe_showsSecretVersionEndpointAndIdentity_withoutContactingGoogle() {
        try (SecretsAuth auth = engines.engine(gcp.settings("MLFLOW_GCP_SECRET_VERSION", "3"))) {
            ProviderStatus status = status(auth);
            assertThat(status.active()).isTrue();
            assertThat(status.module()).isEqualTo("mlflow-secrets-auth-gcp");
            assertThat(status.details()).containsEntry("secret", RESOURCE).containsEntry("project", "mlflow-prod (MLFLOW_GCP_SECRET_NAME)")
                    .containsEntry("version", "version 3")
                    .containsEntry("endpoint", gcp.server.endpoint() + " (MLFLOW_GCP_SECRET_MANAGER_ENDPOINT)")
                    .containsEntry("credentials", "GOOGLE_APPLICATION_CREDENTIALS (" + gcp.keyFile + ")")
                    .containsEntry("identity type", "service-account key (service_account)")
                    .containsEntry("service account", gcp.reader.email())
                    .containsEntry("client id", gcp.reader.clientId())
                    .containsEntry("token endpoint", gcp.server.tokenUri().toString());
            assertThat(status.details().toString()).doesNotContain("PRIVATE KEY").doesNotContain(gcp.reader.privateKeyPem().substring(40, 80));
        }
        assertThat(gcp.server.calls()).isEmpty();
    }

    @Test
    void withoutSecretName_theProviderIsNotConfigured_andAShortNameWithoutProjectNamesGoogleCloudProject() {
        try (SecretsAuth auth = engines.engine(gcp.settings("MLFLOW_GCP_SECRET_NAME", ""))) {
            assertThat(auth.isConfigured()).isFalse();
            assertThat(status(auth).missing()).containsExactly("MLFLOW_GCP_SECRET_NAME");
        }
        Path metadataOnly = dir.resolve("empty");
        try (SecretsAuth auth = engines.engine(gcp.settings("MLFLOW_GCP_SECRET_NAME", SECRET, "GOOGLE_APPLICATION_CREDENTIALS", "",
                "CLOUDSDK_CONFIG", metadataOnly.toString()))) {
            assertThat(status(auth).missing()).singleElement().asString().startsWith("GOOGLE_CLOUD_PROJECT");
        }
    }

    @Test
    void ttl_comesFromMlflowGcpTtlSec() {
        gcp.server.addVersion(SECRET, TOKEN);
        try (SecretsAuth auth = engines.engine(gcp.settings("MLFLOW_GCP_TTL_SEC", "42"))) {
            assertThat(auth.chain().get(0).ttl()).hasSeconds(42);
        }
    }
}
