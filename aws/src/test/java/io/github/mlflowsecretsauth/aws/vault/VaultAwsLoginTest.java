package io.github.mlflowsecretsauth.aws.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.testkit.vault.AwsAuthConfig;
import io.github.mlflowsecretsauth.testkit.vault.AwsRole;
import io.github.mlflowsecretsauth.testkit.vault.TokenSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.github.mlflowsecretsauth.aws.vault.VaultAwsFixture.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * VAULT_AUTH_METHOD=aws against the testkit Vault, which decodes the signed sts:GetCallerIdentity, checks the
 * server-id header, verifies the SigV4 signature as STS would (the account's keys, the server's clock) and matches
 * the caller's ARN to the role's bound_iam_principal_arn.
 */
class VaultAwsLoginTest {
    private static final String SERVER_ID = "vault.company.com";
    private final VaultAwsFixture f = new VaultAwsFixture();

    @AfterEach
    void stop() {
        f.close();
    }

    private void mount(AwsAuthConfig config, AwsRole role) {
        f.vault.configureAwsAuth("aws", config);
        f.vault.addAwsRole("aws", role);
    }

    private static AwsRole role(String... arns) {
        return new AwsRole("mlflow", List.of(arns), TokenSpec.builder().ttl(Duration.ofMinutes(30)).build());
    }

    private static Map<String, String> with(Map<String, String> base, String... kv) {
        Map<String, String> s = new HashMap<>(base);
        for (int i = 0; i < kv.length; i += 2) {
            s.put(kv[i], kv[i + 1]);
        }
        return s;
    }

    /** One line naming the login; no key, session token or signature of any principal, nor the signature sent. */
    private void assertOneLine(Throwable e, String... contains) {
        assertThat(e).isInstanceOf(AccessDeniedException.class);
        System.out.println("refused: " + e.getMessage());
        assertThat(e.getMessage()).doesNotContain("\n").contains("aws login at auth/aws (role mlflow)").contains(contains);
        for (AwsPrincipal p : VaultAwsFixture.ACCOUNT) {
            assertThat(e.getMessage()).doesNotContain(p.secretAccessKey()).doesNotContain(p.sessionToken().orElse("\0"));
        }
        for (JsonNode login : f.logins("aws")) {
            String authorization = VaultAwsFixture.signedHeaders(login).path("Authorization").path(0).asText();
            assertThat(authorization).contains("Signature=");
            assertThat(e.getMessage()).doesNotContain(authorization.replaceAll(".*Signature=", ""));
        }
    }

    @Test
    void login_withTheServerIdHeaderSigned_readsTheSecret() {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT).withServerIdHeader(SERVER_ID), role(PROJECT.arn()));
        try (SecretProvider p = f.provider(with(VaultAwsFixture.projectKeys(PROJECT), "VAULT_AWS_HEADER_VALUE", SERVER_ID))) {
            assertThat(VaultAwsFixture.token(p)).isEqualTo(VaultAwsFixture.SECRET);
            assertThat(p.describe()).containsEntry("auth method", "aws").containsEntry("auth mount", "aws")
                    .containsEntry("auth role", "mlflow").containsEntry("auth chosen because", "VAULT_AUTH_METHOD=aws")
                    .containsEntry("auth aws credentials", "project-specific (MLFLOW_AWS_*)")
                    .containsEntry("auth aws access key id", "****************0001")
                    .containsEntry("auth aws sts", "https://sts.amazonaws.com/ (signed for us-east-1 (the default, as Vault Agent's))")
                    .containsEntry("auth aws server id header", SERVER_ID);
            assertThat(p.describe().toString()).doesNotContain(PROJECT.secretAccessKey());
        }
        JsonNode login = f.logins("aws").get(0);
        assertThat(login.path("role").asText()).isEqualTo("mlflow");
        assertThat(login.path("iam_http_request_method").asText()).isEqualTo("POST");
        assertThat(VaultAwsFixture.decode(login.path("iam_request_url").asText())).isEqualTo("https://sts.amazonaws.com/");
        assertThat(VaultAwsFixture.decode(login.path("iam_request_body").asText()))
                .isEqualTo("Action=GetCallerIdentity&Version=2011-06-15");
        JsonNode headers = VaultAwsFixture.signedHeaders(login);
        assertThat(headers.path("X-Vault-AWS-IAM-Server-ID").path(0).asText()).isEqualTo(SERVER_ID);
        assertThat(headers.path("Authorization").path(0).asText())
                .startsWith("AWS4-HMAC-SHA256 Credential=" + PROJECT.accessKeyId() + "/20260101/us-east-1/sts/aws4_request")
                .contains("x-vault-aws-iam-server-id");
    }

    @Test
    void anAssumedRole_withItsSessionToken_logsInAsItsRole() {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT), role("arn:aws:iam::" + AwsPrincipal.DEFAULT_ACCOUNT + ":role/mlflow-*"));
        try (SecretProvider p = f.provider(VaultAwsFixture.projectKeys(VaultAwsFixture.ROLE))) {
            assertThat(VaultAwsFixture.token(p)).isEqualTo(VaultAwsFixture.SECRET);
        }
        assertThat(VaultAwsFixture.signedHeaders(f.logins("aws").get(0)).path("X-Amz-Security-Token").path(0).asText())
                .isEqualTo(VaultAwsFixture.ROLE.sessionToken().orElseThrow());
    }

    @Test
    void wrongKeys_areOneLine_namingMethodMountAndRole_withoutKeyOrSignature() {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT), role(PROJECT.arn()));
        Map<String, String> wrong = Map.of("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT.accessKeyId(),
                "MLFLOW_AWS_SECRET_ACCESS_KEY", "CANARY-not-the-secret-key-0000");
        try (SecretProvider p = f.provider(wrong)) {
            AccessDeniedException e = catchThrowableOfType(AccessDeniedException.class, p::fetch);
            assertOneLine(e, "failed (HTTP 400: error making upstream request: received error code 403 from STS:"
                    + " SignatureDoesNotMatch: The request signature we calculated does not match",
                    "check VAULT_AUTH_ROLE", "MLFLOW_AWS_ACCESS_KEY_ID / MLFLOW_AWS_SECRET_ACCESS_KEY");
            assertThat(e.getMessage()).doesNotContain("CANARY-not-the-secret-key");
        }
        Map<String, String> unknown = Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000009",
                "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT.secretAccessKey());
        try (SecretProvider p = f.provider(unknown)) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch),
                    "received error code 403 from STS: InvalidClientTokenId: The security token included in the request is invalid.");
        }
    }

    @Test
    void theServerIdHeader_missingOrWrong_isRefused() {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT).withServerIdHeader(SERVER_ID), role(PROJECT.arn()));
        try (SecretProvider p = f.provider(VaultAwsFixture.projectKeys(PROJECT))) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch),
                    "HTTP 400: error validating X-Vault-AWS-IAM-Server-ID header: missing header", "VAULT_AWS_HEADER_VALUE");
        }
        try (SecretProvider p = f.provider(with(VaultAwsFixture.projectKeys(PROJECT), "VAULT_AWS_HEADER_VALUE", "vault.other.com"))) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch),
                    "expected \\\"vault.company.com\\\" but got \\\"vault.other.com\\\"".replace("\\", ""));
        }
        assertThat(f.vault.isTokenValid("none")).isFalse();
    }

    @Test
    void aRoleNotBoundToTheCaller_isRefused_namingTheCallersArn() {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT), role(PROJECT.arn()));
        try (SecretProvider p = f.provider(VaultAwsFixture.projectKeys(VaultAwsFixture.GLOBAL))) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch), "IAM Principal \""
                    + VaultAwsFixture.GLOBAL.arn() + "\" does not belong to the role \"mlflow\"");
        }
    }

    @Test
    void projectKeys_winOverGlobalOnes_andGlobalOnesAreTheFallback() {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT), role(PROJECT.arn()));
        Map<String, String> both = with(VaultAwsFixture.projectKeys(PROJECT), "AWS_ACCESS_KEY_ID",
                VaultAwsFixture.GLOBAL.accessKeyId(), "AWS_SECRET_ACCESS_KEY", VaultAwsFixture.GLOBAL.secretAccessKey());
        try (SecretProvider p = f.provider(both)) {
            assertThat(VaultAwsFixture.token(p)).isEqualTo(VaultAwsFixture.SECRET);
        }
        assertThat(VaultAwsFixture.signedHeaders(f.logins("aws").get(0)).path("Authorization").path(0).asText())
                .contains("Credential=" + PROJECT.accessKeyId() + "/");
        Map<String, String> global = Map.of("AWS_ACCESS_KEY_ID", VaultAwsFixture.GLOBAL.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", VaultAwsFixture.GLOBAL.secretAccessKey());
        try (SecretProvider p = f.provider(global)) {
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch), VaultAwsFixture.GLOBAL.arn(),
                    "global (AWS_*): AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY");
        }
    }

    @Test
    void aRegionalStsEndpoint_isSignedForItsRegion_andAMismatchIsRefused() {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT).withStsRegion("eu-west-1"), role(PROJECT.arn()));
        try (SecretProvider p = f.provider(with(VaultAwsFixture.projectKeys(PROJECT), "VAULT_AWS_STS_REGION", "eu-west-1"))) {
            assertThat(VaultAwsFixture.token(p)).isEqualTo(VaultAwsFixture.SECRET);
        }
        assertThat(VaultAwsFixture.decode(f.logins("aws").get(0).path("iam_request_url").asText()))
                .isEqualTo("https://sts.eu-west-1.amazonaws.com/");
        try (SecretProvider p = f.provider(VaultAwsFixture.projectKeys(PROJECT))) { // signed for us-east-1, the default
            assertOneLine(catchThrowableOfType(AccessDeniedException.class, p::fetch),
                    "received error code 403 from STS: SignatureDoesNotMatch: Credential should be scoped to a valid region.");
        }
    }

    @Test
    void aNonRenewableToken_isReplacedByANewLogin_signedAgainAtThatTime() {
        f.vault.configureAwsAuth("aws", AwsAuthConfig.of(VaultAwsFixture.ACCOUNT));
        f.vault.addAwsRole("aws", new AwsRole("mlflow", List.of(PROJECT.arn()),
                TokenSpec.builder().ttl(Duration.ofMinutes(3)).renewable(false).build()));
        try (SecretProvider p = f.provider(VaultAwsFixture.projectKeys(PROJECT))) {
            assertThat(VaultAwsFixture.token(p)).isEqualTo(VaultAwsFixture.SECRET);
            f.clock.advance(Duration.ofMinutes(20)); // a signature of the first login would be refused now (5 min skew)
            assertThat(VaultAwsFixture.token(p)).isEqualTo(VaultAwsFixture.SECRET);
        }
        List<JsonNode> logins = f.logins("aws");
        assertThat(logins).hasSize(2);
        assertThat(VaultAwsFixture.signedHeaders(logins.get(0)).path("X-Amz-Date").path(0).asText()).isEqualTo("20260101T000000Z");
        assertThat(VaultAwsFixture.signedHeaders(logins.get(1)).path("X-Amz-Date").path(0).asText()).isEqualTo("20260101T002000Z");
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledLogin_endsAtTheFetchDeadline(StallMode mode) {
        mount(AwsAuthConfig.of(VaultAwsFixture.ACCOUNT), role(PROJECT.arn()));
        try (SecretProvider p = f.provider(with(VaultAwsFixture.projectKeys(PROJECT), "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "1"))) {
            f.vault.stalls().stall(mode, "/v1/auth/aws/login");
            long start = System.nanoTime();
            BackendUnavailableException e = catchThrowableOfType(BackendUnavailableException.class, p::fetch);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("Vault aws login %s: failed after %d ms (deadline 1000 ms)%n", mode, ms);
            assertThat(e.getMessage()).isEqualTo("Vault at " + f.vault.address() + " did not answer within 1 s"
                    + " (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)");
            assertThat(ms).isBetween(950L, 2_500L);
            assertThat(f.vault.stalls().stalledCount()).isEqualTo(1);
            f.vault.stalls().clear();
            assertThat(VaultAwsFixture.token(p)).isEqualTo(VaultAwsFixture.SECRET);
        }
    }

    @Test
    void badSettings_areOneLine_namingTheVariable() {
        assertThatThrownBy(() -> f.provider(with(VaultAwsFixture.projectKeys(PROJECT), "VAULT_AWS_STS_REGION", "Mars 1")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("VAULT_AWS_STS_REGION is not an AWS region");
        assertThatThrownBy(() -> f.provider(with(VaultAwsFixture.projectKeys(PROJECT), "VAULT_AWS_STS_ENDPOINT", "ftp://sts")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("VAULT_AWS_STS_ENDPOINT must be an http or https URL");
        assertThatThrownBy(() -> f.provider(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT.accessKeyId())))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_AWS_SECRET_ACCESS_KEY is not set")
                .hasMessageNotContaining(PROJECT.secretAccessKey());
    }
}
