package io.github.mlflowsecretsauth.testkit.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.testkit.aws.SigV4Result.Outcome;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** The verifier against AWS's published example and against requests signed by the AWS SDK's own signer. */
class SigV4VerifierTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final AwsPrincipal ALICE = AwsPrincipal.user("alice", "AKIDALICE0000000001", "alice/secret+KEY");
    private static final AwsPrincipal TEMP = AwsPrincipal.assumedRole("ci", "ASIATEMP00000000001", "temp-secret", "session-token-1");

    private final Map<String, AwsPrincipal> keys = new HashMap<>(Map.of(ALICE.accessKeyId(), ALICE, TEMP.accessKeyId(), TEMP));
    private final List<String> expired = new ArrayList<>();
    private final SigV4Verifier verifier = new SigV4Verifier(k -> Optional.ofNullable(keys.get(k)), expired::contains,
            Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));

    @Test
    void awsDocumentationExample_s3GetObject_hasThePublishedSignature() {
        // "Example: GET Object" of the Amazon S3 SigV4 documentation.
        String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Host", List.of("examplebucket.s3.amazonaws.com"));
        headers.put("Range", List.of("bytes=0-9"));
        headers.put("x-amz-content-sha256", List.of(emptyHash));
        headers.put("x-amz-date", List.of("20130524T000000Z"));
        List<String> signed = List.of("host", "range", "x-amz-content-sha256", "x-amz-date");
        String canonical = SigV4.canonicalRequest("GET", SigV4.canonicalUri("/test.txt", false), SigV4.canonicalQuery(null),
                SigV4.canonicalHeaders(headers, signed), String.join(";", signed), emptyHash);
        String toSign = SigV4.stringToSign("20130524T000000Z", "20130524/us-east-1/s3/aws4_request", canonical);
        assertThat(toSign).endsWith("7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
        assertThat(SigV4.signature(SigV4.signingKey(secret, "20130524", "us-east-1", "s3"), toSign))
                .isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

        AwsPrincipal example = AwsPrincipal.user("example", "AKIAIOSFODNN7EXAMPLE", secret);
        SigV4Verifier docs = new SigV4Verifier(k -> Optional.of(example).filter(p -> p.accessKeyId().equals(k)), k -> false,
                Clock.fixed(Instant.parse("2013-05-24T00:01:00Z"), ZoneOffset.UTC), Duration.ofMinutes(5));
        headers.put("Authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
        assertThat(docs.verify(new SignedRequest("GET", "/test.txt", null, headers, new byte[0]), "us-east-1", "s3").outcome())
                .isEqualTo(Outcome.VALID);
    }

    @Test
    void sdkSignedJsonPost_isValid_andNamesItsKey() {
        SignedRequest r = sdkSigned(ALICE, "POST", "http://127.0.0.1:4566/", "{\"SecretId\":\"prod/mlflow/auth\"}", "secretsmanager");
        SigV4Result result = verifier.verify(r, "us-east-1", "secretsmanager");
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.VALID);
        assertThat(result.accessKeyId()).contains(ALICE.accessKeyId());
    }

    @Test
    void unsignedPayload_outsideS3_isABadSignature() {
        SignedRequest r = sdkSigned(ALICE, "POST", "http://127.0.0.1:4566/prod/api/2.0/mlflow/runs/create",
                "{\"experiment_id\":\"0\"}", "execute-api");
        Map<String, List<String>> headers = new HashMap<>(r.headers());
        headers.put("x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD"));
        SigV4Result result = verifier.verify(new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body()),
                "us-east-1", "execute-api");
        assertThat(result.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(result.toString()).contains("UNSIGNED-PAYLOAD is accepted by S3 only");
        assertThat(verifier.verify(r, "us-east-1", "execute-api").outcome()).as("the same request with its body signed")
                .isEqualTo(Outcome.VALID);
    }

    @Test
    void sdkSignedRequest_withOddPathAndQuery_isValid() {
        String url = "http://127.0.0.1:4566/api/2.0/mlflow-artifacts/artifacts/0/r%C3%BCn%20one/a%2Bb.txt"
                + "?path=dir%20x%2Fy&z=%E2%9C%93&a=2&a=1&empty=";
        SignedRequest r = sdkSigned(ALICE, "PUT", url, "artifact bytes", "execute-api");
        SigV4Result result = verifier.verify(r, "us-east-1", "execute-api");
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.VALID);
    }

    @Test
    void sdkSignedRequest_withSessionToken_isValid_untilTheTokenExpires() {
        SignedRequest r = sdkSigned(TEMP, "POST", "http://127.0.0.1:4566/", "{}", "secretsmanager");
        assertThat(verifier.verify(r, "us-east-1", "secretsmanager").outcome()).isEqualTo(Outcome.VALID);
        expired.add(TEMP.accessKeyId());
        assertThat(verifier.verify(r, "us-east-1", "secretsmanager").outcome()).isEqualTo(Outcome.EXPIRED_TOKEN);
    }

    @Test
    void temporaryKey_withoutItsSessionToken_isUnknown() {
        AwsPrincipal withoutToken = AwsPrincipal.user("x", TEMP.accessKeyId(), TEMP.secretAccessKey());
        SignedRequest r = sdkSigned(withoutToken, "POST", "http://127.0.0.1:4566/", "{}", "secretsmanager");
        assertThat(verifier.verify(r, "us-east-1", "secretsmanager").outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
    }

    @Test
    void changedBody_orChangedSignedHeader_isABadSignature() {
        SignedRequest r = sdkSigned(ALICE, "POST", "http://127.0.0.1:4566/", "{\"SecretId\":\"a\"}", "secretsmanager");
        SignedRequest otherBody = new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), r.headers(),
                "{\"SecretId\":\"b\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(otherBody, "us-east-1", "secretsmanager").outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        Map<String, List<String>> headers = new HashMap<>(r.headers());
        headers.put("X-Amz-Target", List.of("secretsmanager.PutSecretValue"));
        SignedRequest otherHeader = new SignedRequest(r.method(), r.rawPath(), r.rawQuery(), headers, r.body());
        SigV4Result result = verifier.verify(otherHeader, "us-east-1", "secretsmanager");
        assertThat(result.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(result.detail()).isEqualTo(SigV4Verifier.MISMATCH);
        assertThat(result.canonicalRequest()).hasValueSatisfying(c -> assertThat(c).contains("x-amz-target:secretsmanager.PutSecretValue"));
    }

    @Test
    void wrongSecretKey_isABadSignature_unknownKeyIsUnknown() {
        AwsPrincipal impostor = AwsPrincipal.user("alice", ALICE.accessKeyId(), "not-alice-secret");
        assertThat(verifier.verify(sdkSigned(impostor, "POST", "http://h/", "{}", "secretsmanager"), "us-east-1", "secretsmanager")
                .outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        AwsPrincipal stranger = AwsPrincipal.user("bob", "AKIDBOB000000000001", "bob-secret");
        SigV4Result unknown = verifier.verify(sdkSigned(stranger, "POST", "http://h/", "{}", "secretsmanager"), "us-east-1", "secretsmanager");
        assertThat(unknown.outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
        assertThat(unknown.accessKeyId()).contains("AKIDBOB000000000001");
    }

    @Test
    void scopeForAnotherRegionOrService_isRejected() {
        SignedRequest r = sdkSigned(ALICE, "POST", "http://h/", "{}", "secretsmanager");
        assertThat(verifier.verify(r, "eu-west-1", "secretsmanager").detail()).isEqualTo("Credential should be scoped to a valid region.");
        assertThat(verifier.verify(r, "us-east-1", "sts").detail()).isEqualTo("Credential should be scoped to correct service: 'sts'.");
    }

    @Test
    void signatureOlderThanTheSkew_hasExpired() {
        SignedRequest r = sdkSigned(ALICE, "POST", "http://h/", "{}", "secretsmanager", NOW.minus(Duration.ofMinutes(6)));
        SigV4Result result = verifier.verify(r, "us-east-1", "secretsmanager");
        assertThat(result.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        assertThat(result.detail()).startsWith("Signature expired: ");
    }

    @Test
    void missingOrMalformedAuthorization_isReported() {
        SignedRequest none = new SignedRequest("POST", "/", null, Map.of("Host", List.of("h")), new byte[0]);
        assertThat(verifier.verify(none, null, null).outcome()).isEqualTo(Outcome.MISSING);
        SignedRequest basic = new SignedRequest("POST", "/", null, Map.of("Authorization", List.of("Basic dTpw")), new byte[0]);
        assertThat(verifier.verify(basic, null, null).outcome()).isEqualTo(Outcome.MALFORMED);
    }

    @Test
    void toString_neverShowsTheSecretKeyOrToken() {
        assertThat(TEMP.toString()).doesNotContain(TEMP.secretAccessKey()).doesNotContain("session-token-1");
        SigV4Result r = verifier.verify(sdkSigned(TEMP, "POST", "http://h/", "{}", "secretsmanager"), "us-east-1", "secretsmanager");
        assertThat(r.toString()).doesNotContain("session-token-1");
    }

    @Test
    void s3StreamingUpload_isVerifiedOverItsDeclaredPayloadHash_withoutHashingTheBody() {
        byte[] bytes = "part bytes that stream past the gateway".getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:9090/bucket/dir/model.bin?partNumber=1&uploadId=abc");
        SdkHttpRequest.Builder rb = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
                .putHeader("Content-Length", String.valueOf(bytes.length)).putHeader("x-amz-decoded-content-length", String.valueOf(bytes.length));
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(x -> x.request(rb.build())
                .identity(AwsBasicCredentials.create(ALICE.accessKeyId(), ALICE.secretAccessKey()))
                .payload(() -> new ByteArrayInputStream(bytes))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1").putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false).putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC))).request();
        Map<String, List<String>> headers = new HashMap<>(signed.headers());
        headers.put("Host", List.of("127.0.0.1:9090"));
        SignedRequest r = new SignedRequest("PUT", signed.getUri().getRawPath(), signed.getUri().getRawQuery(), headers, null);
        assertThat(r.header("x-amz-content-sha256")).hasValueSatisfying(v -> assertThat(v).startsWith("STREAMING-"));

        SigV4Result result = verifier.verifyDeclaredPayload(r, "us-east-1", "s3");
        assertThat(result.outcome()).as(result.toString()).isEqualTo(Outcome.VALID);
        assertThat(result.accessKeyId()).contains(ALICE.accessKeyId());

        Map<String, List<String>> tampered = new HashMap<>(headers);
        tampered.put("x-amz-decoded-content-length", List.of("999"));
        assertThat(verifier.verifyDeclaredPayload(new SignedRequest("PUT", r.rawPath(), r.rawQuery(), tampered, null), "us-east-1", "s3")
                .outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
        Map<String, List<String>> undeclared = new HashMap<>(headers);
        undeclared.keySet().removeIf(k -> k.equalsIgnoreCase("x-amz-content-sha256"));
        assertThat(verifier.verifyDeclaredPayload(new SignedRequest("PUT", r.rawPath(), r.rawQuery(), undeclared, null), "us-east-1", "s3")
                .outcome()).isEqualTo(Outcome.MALFORMED);
    }

    private static SignedRequest sdkSigned(AwsPrincipal p, String method, String url, String body, String service) {
        return sdkSigned(p, method, url, body, service, NOW);
    }

    /** Signs with the AWS SDK's own SigV4 signer, then captures what would go on the wire. */
    static SignedRequest sdkSigned(AwsPrincipal p, String method, String url, String body, String service, Instant at) {
        URI uri = URI.create(url);
        SdkHttpRequest.Builder rb = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri)
                .putHeader("Content-Type", "application/x-amz-json-1.1");
        if (service.equals("secretsmanager")) {
            rb.putHeader("X-Amz-Target", "secretsmanager.GetSecretValue");
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        rb.putHeader("Content-Length", String.valueOf(bytes.length));
        AwsCredentialsIdentity identity = p.sessionToken().isPresent()
                ? AwsSessionCredentials.create(p.accessKeyId(), p.secretAccessKey(), p.sessionToken().get())
                : AwsBasicCredentials.create(p.accessKeyId(), p.secretAccessKey());
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(s -> s.request(rb.build()).identity(identity)
                .payload(() -> new ByteArrayInputStream(bytes))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC))).request();
        Map<String, List<String>> headers = new HashMap<>(signed.headers());
        if (signed.firstMatchingHeader("Host").isEmpty()) {
            headers.put("Host", List.of(uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost()));
        }
        URI wire = signed.getUri();
        return new SignedRequest(method, wire.getRawPath(), wire.getRawQuery(), headers, bytes);
    }
}
