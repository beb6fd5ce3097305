package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * The testkit Vault's aws (iam) login over HTTP, with requests signed by the AWS SDK's own SigV4 signer: what Vault
 * checks before STS (method, encoding, body, the server-id header and that it is signed), STS's verdict on the
 * signature, and the role's bound ARN.
 */
class VaultServerAwsLoginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AwsPrincipal USER = AwsPrincipal.user("mlflow", "AKIATESTKITVAULT0001", "testkit-vault-secret-key");
    private static final String FORM = "Action=GetCallerIdentity&Version=2011-06-15";

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T12:00:00Z");
    private final VaultServer vault = VaultServer.builder().clock(clock).start();

    @AfterEach
    void stop() {
        vault.close();
    }

    /** A login body for {@code form} signed with {@code secretKey}; {@code serverId} added, and signed if {@code signIt}. */
    private String body(String role, String form, String secretKey, String serverId, boolean signIt) throws Exception {
        SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create("https://sts.amazonaws.com/"))
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        if (serverId != null && signIt) {
            req.putHeader("X-Vault-AWS-IAM-Server-ID", serverId);
        }
        byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
        var signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsBasicCredentials.create(USER.accessKeyId(), secretKey))
                .request(req.build()).payload(() -> new ByteArrayInputStream(bytes))
                .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "sts").putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, List<String>> headers = new LinkedHashMap<>(signed.request().headers());
        if (serverId != null && !signIt) {
            headers.put("X-Vault-AWS-IAM-Server-ID", List.of(serverId));
        }
        Map<String, String> body = new LinkedHashMap<>();
        body.put("role", role);
        body.put("iam_http_request_method", "POST");
        body.put("iam_request_url", b64("https://sts.amazonaws.com/"));
        body.put("iam_request_body", b64(form));
        body.put("iam_request_headers", b64(JSON.writeValueAsString(headers)));
        return JSON.writeValueAsString(body);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private VaultHttp.Answer login(String body) throws Exception {
        return new VaultHttp(vault.address()).post("/v1/auth/aws/login", body);
    }

    @Test
    void aSignedGetCallerIdentity_ofABoundPrincipal_logsIn() throws Exception {
        vault.configureAwsAuth("aws", AwsAuthConfig.of(List.of(USER)));
        vault.addAwsRole("aws", new AwsRole("r", List.of(USER.arn()), TokenSpec.builder().ttl(Duration.ofMinutes(5)).build()));
        VaultHttp.Answer ok = login(body("r", FORM, USER.secretAccessKey(), null, false));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("auth").path("lease_duration").asLong()).isEqualTo(300);
        assertThat(ok.json().path("auth").path("metadata").path("canonical_arn").asText()).isEqualTo(USER.arn());
        assertThat(vault.isTokenValid(ok.json().path("auth").path("client_token").asText())).isTrue();
        // The role is Vault's default when none is given: the caller's IAM user or role name.
        vault.addAwsRole("aws", new AwsRole("mlflow", List.of(USER.arn()), TokenSpec.defaults()));
        assertThat(login(body("", FORM, USER.secretAccessKey(), null, false)).status()).isEqualTo(200);
    }

    @Test
    void whatVaultChecksBeforeSts_andStsVerdict_andTheBinding() throws Exception {
        vault.configureAwsAuth("aws", AwsAuthConfig.of(List.of(USER)).withServerIdHeader("vault.example.com"));
        vault.addAwsRole("aws", new AwsRole("r", List.of("arn:aws:iam::" + AwsPrincipal.DEFAULT_ACCOUNT + ":user/other"),
                TokenSpec.defaults()));
        vault.addAwsRole("aws", new AwsRole("ok", List.of(USER.arn()), TokenSpec.defaults()));
        assertThat(login(body("ok", FORM, USER.secretAccessKey(), "vault.example.com", true)).status()).isEqualTo(200);
        assertThat(login(body("ok", FORM, USER.secretAccessKey(), null, true)).errors().toString())
                .contains("error validating X-Vault-AWS-IAM-Server-ID header: missing header");
        assertThat(login(body("ok", FORM, USER.secretAccessKey(), "vault.example.com", false)).errors().toString())
                .contains("vault header wasn't signed");
        assertThat(login(body("ok", FORM, USER.secretAccessKey(), "vault.other.com", true)).errors().toString())
                .contains("expected \\\"vault.example.com\\\" but got \\\"vault.other.com\\\"");
        assertThat(login(body("ok", "Action=AssumeRole&Version=2011-06-15", USER.secretAccessKey(), "vault.example.com", true))
                .errors().toString()).contains("iam request body is invalid");
        VaultHttp.Answer wrongKey = login(body("ok", FORM, "not-the-key", "vault.example.com", true));
        assertThat(wrongKey.status()).isEqualTo(400);
        assertThat(wrongKey.errors().toString()).contains("received error code 403 from STS").contains("SignatureDoesNotMatch");
        assertThat(login(body("r", FORM, USER.secretAccessKey(), "vault.example.com", true)).errors().toString())
                .contains("IAM Principal \\\"" + USER.arn() + "\\\" does not belong to the role \\\"r\\\"");
        assertThat(login(body("nope", FORM, USER.secretAccessKey(), "vault.example.com", true)).errors().toString())
                .contains("entry for role nope not found");
        String stale = body("ok", FORM, USER.secretAccessKey(), "vault.example.com", true);
        clock.advance(Duration.ofMinutes(6)); // STS allows 5 minutes of skew
        assertThat(login(stale).errors().toString()).contains("Signature expired");
        assertThat(new VaultHttp(vault.address()).get("/v1/auth/aws/login").status()).isEqualTo(405);
        assertThat(login("{\"role\":\"ok\",\"iam_http_request_method\":\"GET\"}").errors().toString())
                .contains("currently only 'POST' is supported");
        assertThat(login("{\"role\":\"ok\",\"iam_http_request_method\":\"POST\"}").errors().toString())
                .contains("missing iam_request_url");
    }
}
