package io.github.mlflowsecretsauth.gcp.idtoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.testkit.gcp.GcpFault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input and failing endpoints give one line that names {@code MLFLOW_GCP_ID_TOKEN_AUDIENCE} (or the
 * credentials setting) and says what to do, never a token, key or refresh token: a missing or malformed audience,
 * gcloud user credentials (which cannot mint ID tokens), the token endpoint refusing (403) or failing (503,
 * transient), and a stalled token endpoint, bounded by {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}.
 */
class GcpIdTokenErrorsTest {
    private static final long DEADLINE_MS = 1_000;
    private static final long SLACK_MS = 1_500;
    private static final String REFRESH_TOKEN = "1//refresh-CANARY-4f1c";

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

    private SecretProvider provider(Map<String, String> settings) {
        Settings s = Settings.builder().setAll(settings).build();
        return new GcpIdTokenProviderFactory().create(new ProviderContext(s, gcp.clock, gcp.scheduler,
                () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    private static void oneLine(Throwable e, String... secrets) {
        assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("eyJ");
        for (String s : secrets) {
            assertThat(e.getMessage()).doesNotContain(s);
        }
    }

    @Test
    void aMissingAudience_isNamedAsTheMissingSetting() {
        Map<String, String> s = gcp.settings("MLFLOW_GCP_ID_TOKEN_AUDIENCE", "");
        assertThat(new GcpIdTokenProviderFactory().missingSettings(Settings.builder().setAll(s).build()))
                .containsExactly("MLFLOW_GCP_ID_TOKEN_AUDIENCE");
        assertThatThrownBy(() -> provider(s)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE is not set: set it to the IAP OAuth client id")
                .satisfies(GcpIdTokenErrorsTest::oneLine);
        assertThat(new GcpIdTokenProviderFactory().missingSettings(Settings.builder().setAll(gcp.settings()).build())).isEmpty();
    }

    @Test
    void anAudienceWithSpaces_isRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> provider(gcp.settings("MLFLOW_GCP_ID_TOKEN_AUDIENCE", "https://a.run.app https://b.run.app")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE has spaces");
        assertThat(gcp.server.calls()).isEmpty();
    }

    @Test
    void gcloudUserCredentials_cannotMintIdTokens_andTheLineSaysWhatToUse() throws Exception {
        Files.writeString(gcp.gcloudConfig.resolve("application_default_credentials.json"), """
                {"type": "authorized_user", "client_id": "764086051850-abc.apps.googleusercontent.com",
                 "client_secret": "d-CANARY-secret", "refresh_token": "%s", "token_uri": "%s"}
                """.formatted(REFRESH_TOKEN, gcp.server.tokenUri()));
        assertThatThrownBy(() -> provider(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", "")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE is set, but user credentials (user credentials from gcloud "
                        + "application-default login")
                .hasMessageContaining("cannot mint ID tokens for an audience: use a service-account key in GOOGLE_APPLICATION_CREDENTIALS")
                .hasMessageContaining("--impersonate-service-account")
                .satisfies(e -> oneLine(e, REFRESH_TOKEN, "d-CANARY-secret"));
        assertThat(gcp.server.calls()).as("refused before any network call").isEmpty();
    }

    @Test
    void aRefusal_isAnAccessDeniedLineNamingTheSetting_andAnOutageIsTransient() {
        SecretProvider p = provider(gcp.settings());
        gcp.server.failNextIdTokens(1, GcpFault.PERMISSION_DENIED);
        assertThatThrownBy(p::fetch).isInstanceOf(AccessDeniedException.class)
                .hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE=" + IdTokenFixtures.AUDIENCE + ": the token endpoint "
                        + gcp.server.tokenUri() + " refused service-account key " + gcp.caller.email())
                .hasMessageContaining("HTTP 403").satisfies(GcpIdTokenErrorsTest::oneLine);

        gcp.server.failNextIdTokens(1, GcpFault.UNAVAILABLE);
        assertThatThrownBy(p::fetch).isInstanceOf(BackendUnavailableException.class)
                .hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE=" + IdTokenFixtures.AUDIENCE + ": the token endpoint ")
                .hasMessageContaining("answered HTTP 503").satisfies(GcpIdTokenErrorsTest::oneLine)
                .satisfies(e -> assertThat(((SecretsAuthException) e).isTransient()).isTrue());

        assertThat(p.fetch().expiresAt()).as("the next call mints again").isPresent();
    }

    @Test
    void anUnreachableTokenEndpoint_isTransient_namingTheSettingAndTheEndpoint() {
        SecretProvider p = provider(gcp.settings());
        String endpoint = gcp.server.tokenUri().toString();
        gcp.server.close(); // nothing listens there any more: connection refused
        assertThatThrownBy(p::fetch).isInstanceOf(BackendUnavailableException.class)
                .hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE=" + IdTokenFixtures.AUDIENCE + ": ")
                .hasMessageContaining(endpoint).satisfies(GcpIdTokenErrorsTest::oneLine)
                .satisfies(e -> assertThat(((SecretsAuthException) e).isTransient()).isTrue())
                .satisfies(e -> System.out.println("gcp-id-token, unreachable token endpoint: " + e.getMessage()));
    }

    @Test
    void anIamCredentialsEndpointInClearTextOffLoopback_isRefused_namingTheSetting() {
        assertThatThrownBy(() -> provider(gcp.settings("MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT", "http://iam.internal.example:8080")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT must be an https URL (plain http is allowed only for a "
                        + "loopback address");
        assertThatThrownBy(() -> provider(gcp.settings("MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT", "https://iam.example/v1")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("without a path");
    }

    @Test
    void impersonationThatIamRefuses_saysWhichRoleTheSourceNeeds() throws Exception {
        var target = gcp.server.createServiceAccount("mlflow-invoker");
        String file = """
                {"type": "impersonated_service_account", "delegates": [],
                 "service_account_impersonation_url": "%s/v1/projects/-/serviceAccounts/%s:generateAccessToken",
                 "source_credentials": %s}
                """.formatted(gcp.server.endpoint(), target.email(), gcp.caller.keyFileJson(gcp.server.tokenUri()));
        Path path = Files.writeString(dir.resolve("impersonation.json"), file);
        SecretProvider p = provider(gcp.settings("GOOGLE_APPLICATION_CREDENTIALS", path.toString(),
                "MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT", gcp.server.endpoint().toString()));
        gcp.server.failNextIdTokens(1, GcpFault.PERMISSION_DENIED);
        assertThatThrownBy(p::fetch).isInstanceOf(AccessDeniedException.class)
                .hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE=" + IdTokenFixtures.AUDIENCE + ": getting an ID token for "
                        + "service-account impersonation " + target.email())
                .hasMessageContaining("from " + gcp.server.endpoint() + "/v1/projects/-/serviceAccounts/" + target.email()
                        + ":generateIdToken failed (Error code 403")
                .hasMessageContaining("iam.serviceAccounts.getOpenIdToken").hasMessageContaining("roles/iam.serviceAccountTokenCreator")
                .satisfies(e -> oneLine(e, "PRIVATE KEY"));
    }

    @Test
    void aTokenWithoutExp_isRefused_inOneLineNamingTheSettingAndTheEndpoint() {
        SecretProvider p = provider(gcp.settings());
        gcp.server.idTokensWithoutExp(true);
        assertThatThrownBy(p::fetch).isInstanceOf(MalformedSecretException.class)
                .hasMessageStartingWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE=" + IdTokenFixtures.AUDIENCE + ": ")
                .hasMessageContaining("returned an ID token that is not a JWT with exp")
                .hasMessageContaining("check the token endpoint " + gcp.server.tokenUri())
                .satisfies(GcpIdTokenErrorsTest::oneLine);
        gcp.server.idTokensWithoutExp(false);
        assertThat(p.fetch().expiresAt()).isPresent();
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledTokenEndpoint_failsWithinTheFetchDeadline(StallMode mode) {
        SecretProvider p = provider(gcp.settings("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "1"));
        gcp.server.stalls().stall(mode, "/token");
        long start = System.nanoTime();
        BackendUnavailableException e = null;
        try {
            p.fetch();
        } catch (BackendUnavailableException thrown) {
            e = thrown;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("gcp-id-token, token endpoint %s: failed after %d ms (deadline %d ms)%n", mode, ms, DEADLINE_MS);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("MLFLOW_GCP_ID_TOKEN_AUDIENCE=" + IdTokenFixtures.AUDIENCE + ": ")
                .endsWith(" did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)");
        oneLine(e);
        assertThat(ms).isBetween(DEADLINE_MS - 50, DEADLINE_MS + SLACK_MS);
        gcp.server.stalls().clear();
        assertThat(p.fetch().expiresAt()).isPresent();
    }
}
