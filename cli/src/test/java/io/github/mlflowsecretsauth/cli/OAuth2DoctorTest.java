package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testkit.oauth.OAuthTokenServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor and info with the oauth2 provider against the OAuth testkit IdP: the token's facts shown, never the token. */
class OAuth2DoctorTest {
    private static final String SECRET = "CANARY-oauth2-doctor-secret-0b7c";

    @TempDir
    Path dir;
    private OAuthTokenServer idp;

    @BeforeEach
    void start() {
        idp = OAuthTokenServer.builder().tokenLifetime(Duration.ofMinutes(10)).start();
        idp.registerClient("mlflow-trainer", SECRET, Set.of("mlflow"));
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private Map<String, String> env(String secret) {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "oauth2");
        e.put("MLFLOW_OAUTH2_ISSUER_URL", idp.issuer().toString());
        e.put("MLFLOW_OAUTH2_CLIENT_ID", "mlflow-trainer");
        e.put("MLFLOW_OAUTH2_CLIENT_SECRET", secret);
        e.put("MLFLOW_OAUTH2_SCOPE", "mlflow");
        e.put("MLFLOW_OAUTH2_AUDIENCE", "mlflow-api");
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return e;
    }

    @Test
    void doctor_showsTheTokensIssuerSubjectAudienceScopesAndExpiry_neverTheToken() {
        CliRunner.Result r = CliRunner.run(env(SECRET), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("✅ Secret retrieval (oauth2)").contains(idp.tokenEndpoint().toString())
                .contains("mlflow-trainer").contains(idp.issuer().toString()).contains("mlflow-api").contains("client_secret_basic");
        assertThat(r.out().toLowerCase()).contains("token subject").contains("token audience").contains("token scopes")
                .contains("token expires at");
        assertThat(r.out()).contains("MLFLOW_OAUTH2_CLIENT_SECRET (environment)");
        assertThat(r.all()).doesNotContain(SECRET).doesNotContainPattern("eyJ[\\w-]{8,}\\.[\\w-]{8,}"); // masked, never the JWT
        assertThat(idp.tokensIssued()).isEqualTo(1);
    }

    @Test
    void doctor_withARefusedClient_failsWithTheOneLineReason() {
        CliRunner.Result r = CliRunner.run(env("CANARY-wrong-oauth2-secret-44"), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isNotZero();
        assertThat(r.out()).contains("refused client mlflow-trainer (invalid_client").contains("MLFLOW_OAUTH2_CLIENT_SECRET");
        assertThat(r.all()).doesNotContain("CANARY-wrong-oauth2-secret");
    }

    @Test
    void statusCheck_showsTheNextRefresh_aheadOfTheTokensExp_notAfterTheTtl() throws Exception {
        idp.tokenLifetime(Duration.ofSeconds(120)); // shorter than the 300 s cache TTL
        java.time.Instant before = java.time.Instant.now();
        CliRunner.Result r = CliRunner.run(env(SECRET), dir, "status", "--json", "--check");
        assertThat(r.exit()).as(r.all()).isZero();
        com.fasterxml.jackson.databind.JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(s.path("provider").asText()).isEqualTo("oauth2");
        java.time.Instant due = java.time.Instant.parse(s.path("next_refresh").asText());
        assertThat(due).isAfter(before).isBefore(java.time.Instant.now().plusSeconds(120));
        assertThat(r.all()).doesNotContain(SECRET).doesNotContainPattern("eyJ[\\w-]{8,}\\.[\\w-]{8,}");
    }

    @Test
    void info_listsOauth2AsEnabledAndConfigured() {
        CliRunner.Result r = CliRunner.run(env(SECRET), dir, "info");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("oauth2").contains("enabled and configured (selected)");
        assertThat(r.all()).doesNotContain(SECRET);
    }
}
