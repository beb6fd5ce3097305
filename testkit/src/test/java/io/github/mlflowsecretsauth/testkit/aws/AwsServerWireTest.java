package io.github.mlflowsecretsauth.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** The raw wire format (checked with a plain HTTP client) and the STS endpoint (checked with the SDK's STS client). */
class AwsServerWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsPrincipal PROJECT = AwsServerSecretsManagerTest.PROJECT;
    private static final Set<String> RESTRICTED = Set.of("host", "content-length");

    private AwsServer aws;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        aws = AwsServer.builder().principal(PROJECT).start();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    @Test
    void getSecretValue_onTheWire_isJson11WithBase64BinaryAndEpochSecondDates() throws Exception {
        aws.createBinarySecret("bin", new byte[] {1, 2, (byte) 0xfe});
        HttpResponse<String> r = getSecretValue("{\"SecretId\":\"bin\",\"VersionStage\":\"AWSCURRENT\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/x-amz-json-1.1");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("SecretBinary").isTextual()).isTrue();
        assertThat(body.path("SecretBinary").asText()).isEqualTo("AQL+");
        assertThat(body.has("SecretString")).isFalse();
        assertThat(body.path("CreatedDate").isNumber()).isTrue();
        assertThat(body.path("CreatedDate").asDouble()).isBetween((double) Instant.now().minusSeconds(60).getEpochSecond(),
                (double) Instant.now().getEpochSecond() + 1);
        assertThat(body.path("VersionStages").toString()).isEqualTo("[\"AWSCURRENT\"]");
    }

    @Test
    void error_onTheWire_is400WithTypeAndMessage() throws Exception {
        HttpResponse<String> r = getSecretValue("{\"SecretId\":\"missing\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree(
                "{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}"));
    }

    @Test
    void unsignedRequest_isMissingAuthenticationToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(aws.endpoint().resolve("/"))
                .header("X-Amz-Target", "secretsmanager.GetSecretValue").header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).path("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(aws.calls()).singleElement().satisfies(c -> assertThat(c.accessKeyId()).isEmpty());
    }

    @Test
    void sts_getCallerIdentity_reportsAccountArnAndUserId() {
        try (StsClient sts = SdkClients.sts(aws.endpoint(), "us-east-1", SdkClients.credentials(PROJECT))) {
            GetCallerIdentityResponse id = sts.getCallerIdentity();
            assertThat(id.account()).isEqualTo("123456789012");
            assertThat(id.arn()).isEqualTo("arn:aws:iam::123456789012:user/mlflow");
            assertThat(id.userId()).startsWith("AIDA");
        }
        assertThat(aws.calls()).singleElement().satisfies(c -> {
            assertThat(c.service()).isEqualTo("sts");
            assertThat(c.operation()).isEqualTo("GetCallerIdentity");
            assertThat(c.accessKeyId()).contains(PROJECT.accessKeyId());
        });
    }

    @Test
    void sts_unknownKeyAndWrongSignature_areStsXmlErrors() {
        AwsPrincipal stranger = AwsPrincipal.user("x", "AKIASTRANGER0000001", "s");
        try (StsClient sts = SdkClients.sts(aws.endpoint(), "us-east-1", SdkClients.credentials(stranger))) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class, e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId");
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
            });
        }
        AwsPrincipal impostor = AwsPrincipal.user("x", PROJECT.accessKeyId(), "wrong");
        try (StsClient sts = SdkClients.sts(aws.endpoint(), "us-east-1", SdkClients.credentials(impostor))) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(StsException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch"));
        }
    }

    /** A GetSecretValue call signed by the SDK signer and sent by the JDK client. */
    private HttpResponse<String> getSecretValue(String body) throws Exception {
        URI url = aws.endpoint().resolve("/");
        SignedRequest signed = SigV4VerifierTest.sdkSigned(PROJECT, "POST", url.toString(), body, "secretsmanager", Instant.now());
        HttpRequest.Builder b = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body));
        for (Map.Entry<String, List<String>> h : signed.headers().entrySet()) {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                h.getValue().forEach(v -> b.header(h.getKey(), v));
            }
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
