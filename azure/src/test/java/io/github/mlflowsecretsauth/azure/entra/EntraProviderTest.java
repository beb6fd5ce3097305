package io.github.mlflowsecretsauth.azure.entra;

import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.CLIENT_ID;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.CLIENT_SECRET;
import static io.github.mlflowsecretsauth.azure.testing.AzureFixtures.MLFLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.ProviderStatus;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.azure.testing.AzureFixtures;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code entra} provider with the real azure-identity DefaultAzureCredential against the testkit's Entra ID token
 * endpoint (over HTTPS trusted through MLFLOW_AZURE_CA_BUNDLE_PATH), which issues RS256 access tokens for the MLflow
 * server's app registration and checks them.
 */
class EntraProviderTest {
    private static final String APP = "api://mlflow-tracking-app";
    private final Engines engines = new Engines();
    private AzureKeyVaultServer entra;

    private AzureKeyVaultServer start(Duration lifetime) {
        entra = AzureKeyVaultServer.builder().tokenLifetime(lifetime).start();
        entra.addServicePrincipal(CLIENT_ID, CLIENT_SECRET);
        entra.addApiResource(APP);
        engines.clock.set(System.currentTimeMillis()); // azure-identity dates a token's expiry by the wall clock
        return entra;
    }

    @AfterEach
    void stop() {
        if (entra != null) {
            entra.close();
        }
    }

    private Map<String, String> settings(String scope) {
        Map<String, String> s = AzureFixtures.without(AzureFixtures.settings(entra), "AZURE_KEY_VAULT_URL",
                "MLFLOW_AZURE_SECRET_NAME");
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "entra");
        s.put("MLFLOW_SECRETS_MAX_RETRIES", "0");
        if (scope != null) {
            s.put("MLFLOW_ENTRA_ID_SCOPE", scope);
        }
        return s;
    }

    @Test
    void anAccessTokenForTheAppsScope_isTheBearerCredential_andTheIdpAcceptsIt() {
        start(Duration.ofHours(1));
        try (SecretsAuth auth = engines.engine(settings(APP + "/.default"))) {
            String header = auth.headersFor(MLFLOW).get("Authorization");
            assertThat(header).startsWith("Bearer ");
            JWTClaimsSet claims = entra.verifyApiToken(header.substring(7)).orElseThrow();
            assertThat(claims.getAudience()).containsExactly(APP);
            assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
            assertThat(auth.currentSnapshot().provider()).isEqualTo("entra");
            assertThat(auth.currentSnapshot().location()).isEqualTo("entra:" + APP + "/.default");
        }
    }

    @Test
    void theTokensLifetime_isItsExpiresAt_andOneTokenRequestServesManyCalls() {
        start(Duration.ofMinutes(20));
        Instant before = Instant.now();
        try (SecretsAuth auth = engines.engine(settings(APP + "/.default"))) {
            for (int i = 0; i < 300; i++) {
                auth.headersFor(MLFLOW);
            }
            HeaderSnapshot s = auth.currentSnapshot();
            assertThat(s.expiresAt()).hasValueSatisfying(exp -> assertThat(exp)
                    .isBetween(before.plus(Duration.ofMinutes(20)).minusSeconds(5), Instant.now().plus(Duration.ofMinutes(20))));
            assertThat(entra.tokenRequests()).isEqualTo(1);
        }
    }

    /** What {@code status} reports: the next refresh comes from the token's expiresAt, not from the cache TTL. */
    @Test
    void statusShowsTheNextRefresh_aheadOfTheTokensExpiry() {
        start(Duration.ofMinutes(4));
        try (SecretsAuth auth = engines.engine(settings(APP + "/.default"))) {
            assertThat(auth.status().nextRefresh()).as("nothing fetched yet").isEmpty();
            auth.headersFor(MLFLOW);
            Instant exp = auth.currentSnapshot().expiresAt().orElseThrow();
            Instant due = auth.status().nextRefresh().orElseThrow();
            System.out.println("entra: fetched at " + engines.clock.instant() + ", exp " + exp + ", next refresh " + due);
            assertThat(due).isAfter(engines.clock.instant()).isBefore(exp)
                    .isBefore(engines.clock.instant().plus(Duration.ofMinutes(5))); // not the 300 s TTL
            long before = auth.cacheStats().completedFetches();
            engines.scheduler.advance(Duration.between(engines.clock.instant(), due));
            assertThat(auth.cacheStats().completedFetches()).as("refreshed when status said").isGreaterThan(before);
        }
    }

    @Test
    void aScopeEntraDoesNotKnow_isAConfigurationError_namingTheVariableAndTheAadstsCode() {
        start(Duration.ofHours(1));
        try (SecretsAuth auth = engines.engine(settings("api://some-other-app/.default"))) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("MLFLOW_ENTRA_ID_SCOPE").hasMessageContaining("AADSTS70011")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(CLIENT_SECRET));
        }
    }

    @Test
    void aRefusedClientSecret_isAccessDenied_namingTheIdentity_neverTheSecret() {
        start(Duration.ofHours(1));
        Map<String, String> s = settings(APP + "/.default");
        s.put("AZURE_CLIENT_SECRET", "CANARYwrongClientSecret~1234");
        try (SecretsAuth auth = engines.engine(s)) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW)).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("AADSTS7000215").hasMessageContaining("AZURE_CLIENT_SECRET")
                    .hasMessageContaining("MLFLOW_ENTRA_ID_SCOPE")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("CANARY").doesNotContain("\n"));
        }
    }

    @Test
    void anUnreachableTokenEndpoint_isTransient_namingTheAuthorityHost() throws Exception {
        start(Duration.ofHours(1));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> s = settings(APP + "/.default");
        s.put("AZURE_AUTHORITY_HOST", "https://127.0.0.1:" + port);
        try (SecretsAuth auth = engines.engine(s)) {
            assertThatThrownBy(() -> auth.headersFor(MLFLOW))
                    .isInstanceOf(io.github.mlflowsecretsauth.error.BackendUnavailableException.class)
                    .hasMessageContaining("AZURE_AUTHORITY_HOST")
                    .satisfies(e -> assertThat(((io.github.mlflowsecretsauth.error.SecretsAuthException) e).isTransient()).isTrue())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain(CLIENT_SECRET))
                    .satisfies(e -> System.out.println("entra, unreachable token endpoint: " + e.getMessage()));
        }
    }

    @Test
    void withoutAScope_theProviderIsEnabledButNotConfigured() {
        start(Duration.ofHours(1));
        try (SecretsAuth auth = engines.engine(settings(null))) {
            assertThat(auth.providers()).filteredOn(p -> p.name().equals("entra")).singleElement()
                    .extracting(ProviderStatus::missing).isEqualTo(java.util.List.of("MLFLOW_ENTRA_ID_SCOPE"));
        }
        assertThatThrownBy(() -> EntraProviderFactory.scopes("  ")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_ENTRA_ID_SCOPE");
    }

    @Test
    void describe_afterAFetch_showsIssuerAudienceSubjectAndExpiry_neverTheToken() {
        start(Duration.ofHours(1));
        try (SecretsAuth auth = engines.engine(settings(APP + "/.default"))) {
            String token = auth.headersFor(MLFLOW).get("Authorization").substring(7);
            Map<String, String> d = auth.chain().get(0).describe();
            assertThat(d).containsEntry("scope", APP + "/.default").containsEntry("audience", APP)
                    .containsEntry("subject", CLIENT_ID).containsKey("issuer").containsKey("expires")
                    .containsEntry("identity source", "service principal with a client secret (EnvironmentCredential)");
            assertThat(d.get("issuer")).endsWith("/" + entra.tenantId() + "/v2.0");
            assertThat(d.toString()).doesNotContain(token.substring(token.lastIndexOf('.') + 1)).doesNotContain(CLIENT_SECRET);
        }
    }
}
