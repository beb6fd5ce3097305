package io.github.mlflowsecretsauth.testkit.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The testkit Secret Manager and its token endpoints, driven by the real Google auth library (for the
 * service-account JWT-bearer grant) and the JDK HttpClient (for the REST wire format).
 */
class GcpSecretManagerServerTest {
    private static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform");
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock(Instant.now());
    private GcpSecretManagerServer gcp;
    private ServiceAccount reader;
    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        gcp = GcpSecretManagerServer.builder().clock(clock).start();
        reader = gcp.createServiceAccount("mlflow-reader");
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private GoogleCredentials credentials(ServiceAccount account) throws IOException {
        Path key = gcp.writeKeyFile(account, dir.resolve(account.privateKeyId() + ".json"));
        try (InputStream in = Files.newInputStream(key)) {
            return ((ServiceAccountCredentials) GoogleCredentials.fromStream(in)).createWithCustomRetryStrategy(false).createScoped(SCOPES);
        }
    }

    private String token(ServiceAccount account) throws IOException {
        GoogleCredentials c = credentials(account);
        c.refresh();
        return c.getAccessToken().getTokenValue();
    }

    private HttpResponse<String> access(String resource, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gcp.endpoint() + "/v1/" + resource + ":access")).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) {
        return JsonHttp.parseObject(r.body());
    }

    @Test
    void googleAuthLibrary_getsATokenWithTheKeyFile_andTheTokenOpensTheSecret() throws Exception {
        gcp.addVersion("mlflow-auth", "{\"token\":\"t-1\"}");
        String token = token(reader);
        assertThat(token).startsWith("ya29.");
        assertThat(gcp.calls(GcpCall.Kind.TOKEN)).singleElement().satisfies(c -> {
            assertThat(c.principal()).contains(reader.email());
            assertThat(c.succeeded()).isTrue();
        });

        HttpResponse<String> r = access("projects/mlflow-prod/secrets/mlflow-auth/versions/latest", token);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("name").asText()).isEqualTo("projects/123456789012/secrets/mlflow-auth/versions/1");
        byte[] data = Base64.getDecoder().decode(body.path("payload").path("data").asText());
        assertThat(new String(data, StandardCharsets.UTF_8)).isEqualTo("{\"token\":\"t-1\"}");
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(body.path("payload").path("dataCrc32c").isTextual()).as("int64 travels as a JSON string").isTrue();
        assertThat(body.path("payload").path("dataCrc32c").asText()).isEqualTo(Long.toString(crc.getValue()));
        assertThat(gcp.calls(GcpCall.Kind.ACCESS)).singleElement().satisfies(c -> assertThat(c.principal()).contains(reader.email()));
    }

    @Test
    void assertionSignedWithAnotherKey_isRefusedAsInvalidGrant() throws Exception {
        GoogleCredentials stale = credentials(reader);
        gcp.rotateKey(reader);
        assertThatThrownBy(stale::refresh).isInstanceOf(IOException.class).hasMessageContaining("invalid_grant")
                .hasMessageContaining("Invalid JWT Signature");
        assertThat(gcp.tokensIssued()).isZero();
    }

    @Test
    void unknownAccount_isRefused() throws Exception {
        ServiceAccount stranger = ServiceAccount.generate("stranger", "mlflow-prod");
        assertThatThrownBy(() -> token(stranger)).isInstanceOf(IOException.class).hasMessageContaining("account not found");
    }

    @Test
    void expiredOrForeignTokens_get401Unauthenticated() throws Exception {
        gcp.addVersion("s", "v");
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", null).statusCode()).isEqualTo(401);
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", "ya29.made-up").statusCode()).isEqualTo(401);
        gcp.tokenLifetime(Duration.ofMinutes(10));
        String token = token(reader);
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", token).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(10));

        HttpResponse<String> r = access("projects/mlflow-prod/secrets/s/versions/latest", token);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(json(r).path("error").path("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }

    @Test
    void expireIssuedTokens_endsEveryTokenSoFar() throws Exception {
        gcp.addVersion("s", "v");
        String token = token(reader);
        gcp.expireIssuedTokens();
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", token).statusCode()).isEqualTo(401);
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", token(reader)).statusCode()).isEqualTo(200);
    }

    @Test
    void versions_latestNumbersAliasesAndStates() throws Exception {
        String token = token(reader);
        gcp.addVersion("s", "one");
        gcp.addVersion("s", "two");
        gcp.addVersion("s", "three");
        gcp.setAlias("s", "prod", 2);
        assertThat(json(access("projects/123456789012/secrets/s/versions/latest", token)).path("name").asText()).endsWith("/versions/3");
        assertThat(json(access("projects/mlflow-prod/secrets/s/versions/1", token)).path("name").asText()).endsWith("/versions/1");
        assertThat(json(access("projects/mlflow-prod/secrets/s/versions/prod", token)).path("name").asText()).endsWith("/versions/2");

        gcp.setVersionState("s", 3, VersionState.DISABLED);
        HttpResponse<String> disabled = access("projects/mlflow-prod/secrets/s/versions/latest", token);
        assertThat(disabled.statusCode()).isEqualTo(400);
        assertThat(json(disabled).path("error").path("status").asText()).isEqualTo("FAILED_PRECONDITION");
        assertThat(json(disabled).path("error").path("message").asText()).contains("DISABLED state");
        gcp.setVersionState("s", 1, VersionState.DESTROYED);
        assertThat(json(access("projects/mlflow-prod/secrets/s/versions/1", token)).path("error").path("message").asText())
                .contains("DESTROYED state");
        assertThat(access("projects/mlflow-prod/secrets/s/versions/9", token).statusCode()).isEqualTo(404);
        HttpResponse<String> missing = access("projects/mlflow-prod/secrets/nope/versions/latest", token);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("error").path("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(json(missing).path("error").path("code").asInt()).isEqualTo(404);
    }

    @Test
    void denialsFaultsAndCorruptChecksums() throws Exception {
        String token = token(reader);
        gcp.addVersion("s", "value");
        gcp.deny(reader.email(), "s", true);
        HttpResponse<String> denied = access("projects/mlflow-prod/secrets/s/versions/latest", token);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(json(denied).path("error").path("status").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(access("projects/other-project/secrets/s/versions/latest", token).statusCode()).isEqualTo(403);
        gcp.deny(reader.email(), "s", false);

        gcp.failNext(2, GcpFault.RESOURCE_EXHAUSTED);
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", token).statusCode()).isEqualTo(429);
        gcp.failNext(1, GcpFault.UNAVAILABLE);
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", token).statusCode()).isEqualTo(503);
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", token).statusCode()).isEqualTo(200);

        gcp.corruptChecksums(true);
        JsonNode payload = json(access("projects/mlflow-prod/secrets/s/versions/latest", token)).path("payload");
        CRC32C crc = new CRC32C();
        crc.update("value".getBytes(StandardCharsets.UTF_8));
        assertThat(payload.path("dataCrc32c").asText()).isNotEqualTo(Long.toString(crc.getValue()));
        gcp.sendChecksums(false);
        assertThat(json(access("projects/mlflow-prod/secrets/s/versions/latest", token)).path("payload").has("dataCrc32c")).isFalse();
        assertThat(gcp.accessCount()).isEqualTo(7);
    }

    @Test
    void regionalResourceNames_areServed() throws Exception {
        gcp.addVersion("s", "regional");
        HttpResponse<String> r = access("projects/mlflow-prod/locations/us-central1/secrets/s/versions/latest", token(reader));
        assertThat(json(r).path("name").asText()).isEqualTo("projects/123456789012/locations/us-central1/secrets/s/versions/1");
    }

    @Test
    void metadataServerToken_needsMetadataFlavor() throws Exception {
        URI uri = URI.create("http://" + gcp.metadataHost() + "/computeMetadata/v1/instance/service-accounts/default/token");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(uri).header("Metadata-Flavor", "Google").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Metadata-Flavor")).contains("Google");
        JsonNode t = json(ok);
        assertThat(t.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.path("expires_in").asLong()).isEqualTo(3600);
        gcp.addVersion("s", "v");
        assertThat(access("projects/mlflow-prod/secrets/s/versions/latest", t.path("access_token").asText()).statusCode()).isEqualTo(200);
        assertThat(gcp.calls(GcpCall.Kind.ACCESS).get(0).principal()).contains(gcp.computeServiceAccount());
    }

    @Test
    void keyFile_isWhatGoogleHandsOut_andToStringHidesTheKey() throws Exception {
        String json = Files.readString(gcp.writeKeyFile(reader, dir.resolve("k.json")));
        JsonNode n = JsonHttp.parseObject(json);
        assertThat(n.path("type").asText()).isEqualTo("service_account");
        assertThat(n.path("client_email").asText()).isEqualTo("mlflow-reader@mlflow-prod.iam.gserviceaccount.com");
        assertThat(n.path("token_uri").asText()).isEqualTo(gcp.tokenUri().toString());
        assertThat(n.path("private_key").asText()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(reader.toString()).doesNotContain("PRIVATE").contains(reader.email());
    }
}
