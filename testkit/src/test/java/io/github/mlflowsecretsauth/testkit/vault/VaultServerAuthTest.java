package io.github.mlflowsecretsauth.testkit.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VaultServerAuthTest {

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T12:00:00Z");
    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "mlflow-token"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private VaultHttp as(String token) {
        return new VaultHttp(vault.address()).token(token);
    }

    @Test
    void anAppRoleLoginIssuesATokenThatReadsSecrets() throws Exception {
        vault.addAppRole("mlflow", "role-123", "secret-456",
                TokenSpec.builder().ttl(Duration.ofMinutes(20)).policies("default", "mlflow-read").build());

        VaultHttp.Answer login = new VaultHttp(vault.address())
                .post("/v1/auth/approle/login", "{\"role_id\":\"role-123\",\"secret_id\":\"secret-456\"}");

        assertThat(login.status()).isEqualTo(200);
        String token = login.json().path("auth").path("client_token").asText();
        assertThat(token).startsWith("hvs.");
        assertThat(login.json().path("auth").path("lease_duration").asLong()).isEqualTo(1200L);
        assertThat(login.json().path("auth").path("renewable").asBoolean()).isTrue();
        assertThat(login.json().path("auth").path("token_type").asText()).isEqualTo("service");
        assertThat(login.json().path("auth").path("orphan").asBoolean()).isTrue();
        assertThat(login.json().path("auth").path("metadata").path("role_name").asText()).isEqualTo("mlflow");
        assertThat(login.json().path("auth").path("token_policies").toString()).isEqualTo("[\"default\",\"mlflow-read\"]");
        assertThat(login.json().path("data").isNull()).isTrue();

        VaultHttp.Answer read = as(token).get("/v1/secret/data/mlflow/auth");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().path("data").path("data").path("token").asText()).isEqualTo("mlflow-token");
        assertThat(vault.requests().get(vault.requests().size() - 1).token()).contains(token);
    }

    @Test
    void anAppRoleLoginWithAWrongSecretIdIs400() throws Exception {
        vault.addAppRole("mlflow", "role-123", "secret-456", TokenSpec.defaults());

        VaultHttp.Answer answer = new VaultHttp(vault.address())
                .post("/v1/auth/approle/login", "{\"role_id\":\"role-123\",\"secret_id\":\"wrong\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().toString()).isEqualTo("{\"errors\":[\"invalid role or secret ID\"]}");
    }

    @Test
    void anAppRoleLoginWithAnUnknownRoleIdIs400() throws Exception {
        VaultHttp.Answer answer = new VaultHttp(vault.address())
                .post("/v1/auth/approle/login", "{\"role_id\":\"nobody\",\"secret_id\":\"x\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors().get(0).asText()).isEqualTo("invalid role or secret ID");
    }

    @Test
    void lookupSelfReportsARemainingTtlThatFallsAsTheClockAdvances() throws Exception {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofHours(1)).build());

        VaultHttp.Answer before = as(token).get("/v1/auth/token/lookup-self");
        clock.advance(Duration.ofMinutes(10));
        VaultHttp.Answer after = as(token).get("/v1/auth/token/lookup-self");

        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().path("data").path("ttl").asLong()).isEqualTo(3600L);
        assertThat(before.json().path("data").path("creation_ttl").asLong()).isEqualTo(3600L);
        assertThat(before.json().path("data").path("id").asText()).isEqualTo(token);
        assertThat(before.json().path("data").path("expire_time").asText()).isEqualTo("2026-03-01T13:00:00Z");
        assertThat(before.json().path("data").path("issue_time").asText()).isEqualTo("2026-03-01T12:00:00Z");
        assertThat(before.json().path("data").path("path").asText()).isEqualTo("auth/token/create");
        assertThat(before.json().path("data").path("type").asText()).isEqualTo("service");
        assertThat(before.json().path("data").path("renewable").asBoolean()).isTrue();
        assertThat(after.json().path("data").path("ttl").asLong()).isEqualTo(3000L);
    }

    @Test
    void theRootTokenNeverExpires() throws Exception {
        clock.advance(Duration.ofDays(3650));

        VaultHttp.Answer answer = as("root").get("/v1/auth/token/lookup-self");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("data").path("ttl").asLong()).isZero();
        assertThat(answer.json().path("data").path("expire_time").isNull()).isTrue();
        assertThat(answer.json().path("data").path("policies").toString()).isEqualTo("[\"root\"]");
    }

    @Test
    void aTokenPastItsTtlIsRefused() throws Exception {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(5)).build());
        assertThat(as(token).get("/v1/secret/data/mlflow/auth").status()).isEqualTo(200);

        clock.advance(Duration.ofMinutes(5));

        VaultHttp.Answer answer = as(token).get("/v1/secret/data/mlflow/auth");
        assertThat(answer.status()).isEqualTo(403);
        assertThat(answer.json().toString()).isEqualTo("{\"errors\":[\"permission denied\"]}");
    }

    @Test
    void aTokenWithZeroTtlNeverExpires() throws Exception {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ZERO).build());

        clock.advance(Duration.ofDays(400));

        assertThat(as(token).get("/v1/secret/data/mlflow/auth").status()).isEqualTo(200);
    }

    @Test
    void renewSelfExtendsTheTokenFromNow() throws Exception {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(30)).build());
        clock.advance(Duration.ofMinutes(20));

        VaultHttp.Answer renewed = as(token).post("/v1/auth/token/renew-self", "{\"increment\":\"1h\"}");

        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().path("auth").path("client_token").asText()).isEqualTo(token);
        assertThat(renewed.json().path("auth").path("lease_duration").asLong()).isEqualTo(3600L);
        assertThat(renewed.json().path("auth").path("renewable").asBoolean()).isTrue();
        clock.advance(Duration.ofMinutes(50));
        assertThat(as(token).get("/v1/auth/token/lookup-self").json().path("data").path("ttl").asLong())
                .isEqualTo(600L);
    }

    @Test
    void renewSelfWithoutAnIncrementGrantsTheOriginalTtl() throws Exception {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(30)).build());
        clock.advance(Duration.ofMinutes(25));

        VaultHttp.Answer renewed = as(token).post("/v1/auth/token/renew-self", null);

        assertThat(renewed.json().path("auth").path("lease_duration").asLong()).isEqualTo(1800L);
    }

    @Test
    void renewSelfAcceptsTheIncrementAsSeconds() throws Exception {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(30)).build());

        VaultHttp.Answer renewed = as(token).post("/v1/auth/token/renew-self", "{\"increment\":120}");

        assertThat(renewed.json().path("auth").path("lease_duration").asLong()).isEqualTo(120L);
    }

    @Test
    void renewalIsCappedAtTheMaxTtlWithAWarning() throws Exception {
        String token = vault.createToken(TokenSpec.builder().ttl(Duration.ofMinutes(30))
                .maxTtl(Duration.ofMinutes(45)).build());
        clock.advance(Duration.ofMinutes(25));

        VaultHttp.Answer renewed = as(token).post("/v1/auth/token/renew-self", "{\"increment\":\"1h\"}");

        assertThat(renewed.status()).isEqualTo(200);
        assertThat(renewed.json().path("auth").path("lease_duration").asLong()).isEqualTo(1200L);
        assertThat(renewed.json().path("warnings").get(0).asText()).contains("max_ttl");
        clock.advance(Duration.ofMinutes(20));
        assertThat(as(token).get("/v1/auth/token/lookup-self").status()).isEqualTo(403);
    }

    @Test
    void aNonRenewableTokenCannotBeRenewed() throws Exception {
        String token = vault.createToken(TokenSpec.builder().renewable(false).build());

        VaultHttp.Answer answer = as(token).post("/v1/auth/token/renew-self", "{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().toString()).isEqualTo("{\"errors\":[\"lease is not renewable\"]}");
    }

    @Test
    void theRootTokenHasNoLeaseToRenew() throws Exception {
        VaultHttp.Answer answer = as("root").post("/v1/auth/token/renew-self", "{}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errors().get(0).asText()).isEqualTo("invalid lease ID");
    }

    @Test
    void aRevokedTokenIsRefused() throws Exception {
        String token = vault.createToken(TokenSpec.defaults());

        assertThat(vault.revokeToken(token)).isTrue();

        assertThat(as(token).get("/v1/auth/token/lookup-self").status()).isEqualTo(403);
    }

    @Test
    void unknownAndMissingTokensAreRefused() throws Exception {
        assertThat(as("hvs.not-a-token").get("/v1/secret/data/mlflow/auth").status()).isEqualTo(403);
        assertThat(new VaultHttp(vault.address()).get("/v1/secret/data/mlflow/auth").status()).isEqualTo(403);
    }

    @Test
    void aBearerAuthorizationHeaderWorksLikeXVaultToken() throws Exception {
        VaultHttp client = new VaultHttp(vault.address()).header("Authorization", "Bearer root");

        assertThat(client.get("/v1/secret/data/mlflow/auth").status()).isEqualTo(200);
    }

    @Test
    void aPathOutsideTheTokensPolicyIsDeniedInVaultsFormat() throws Exception {
        vault.putSecret("secret/other/app", Map.of("k", "v"));
        String token = vault.createToken(TokenSpec.builder().allowedPaths("secret/data/mlflow/*").build());

        VaultHttp.Answer allowed = as(token).get("/v1/secret/data/mlflow/auth");
        VaultHttp.Answer denied = as(token).get("/v1/secret/data/other/app");

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.errors().get(0).asText()).isEqualTo("1 error occurred:\n\t* permission denied\n\n");
    }

    @Test
    void policyGlobsSupportTheSingleSegmentPlusWildcard() throws Exception {
        vault.putSecret("secret/team-a/mlflow", Map.of("k", "a"));
        String token = vault.createToken(TokenSpec.builder().allowedPaths("secret/data/+/mlflow").build());

        assertThat(as(token).get("/v1/secret/data/team-a/mlflow").status()).isEqualTo(200);
        assertThat(as(token).get("/v1/secret/data/mlflow/auth").status()).isEqualTo(403);
    }

    @Test
    void lookupSelfIsAllowedWhateverThePolicy() throws Exception {
        String token = vault.createToken(TokenSpec.builder().allowedPaths("nothing/*").build());

        assertThat(as(token).get("/v1/auth/token/lookup-self").status()).isEqualTo(200);
    }
}
