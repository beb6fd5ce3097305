package io.github.mlflowsecretsauth.provider.oauth2;

import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.CLIENT;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.KEY_CLIENT;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.SECRET;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.testkit.oauth.OAuthTokenServer;
import io.github.mlflowsecretsauth.testkit.oauth.TokenFormat;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way the IdP can refuse or fail, over real sockets: one line naming the client, the endpoint and what to check,
 * never the client secret; transient failures marked so, and a stalled endpoint bounded by the fetch deadline.
 */
class OAuth2ErrorsTest {
    private OAuth2Fixture f = new OAuth2Fixture();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        f.close();
    }

    private <T extends SecretsAuthException> T fails(Class<T> type, Map<String, String> extra) {
        try (SecretProvider p = f.provider(extra)) {
            T e = catchThrowableOfType(type, p::fetch);
            assertThat(e).as("expected a " + type.getSimpleName()).isNotNull();
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain("\n");
            return e;
        }
    }

    private String endpoint() {
        return f.idp.tokenEndpoint().toString();
    }

    @Test
    void aWrongSecret_isInvalidClient_namingTheClientTheEndpointAndTheSecretVariable() {
        AccessDeniedException e = fails(AccessDeniedException.class, kv("MLFLOW_OAUTH2_CLIENT_SECRET", "CANARY-wrong-secret-1234"));
        assertThat(e.getMessage()).startsWith("the token endpoint " + endpoint() + " refused client " + CLIENT + " (invalid_client")
                .contains("check MLFLOW_OAUTH2_CLIENT_ID and MLFLOW_OAUTH2_CLIENT_SECRET")
                .contains("MLFLOW_OAUTH2_CLIENT_AUTH=client_secret_basic").doesNotContain("CANARY-wrong-secret");
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void anUnknownKey_forPrivateKeyJwt_saysToCheckThePublicKeyAndTheClock() throws Exception {
        Path key = OAuth2Fixture.writePkcs8(OAuth2Fixture.rsa(), dir.resolve("other.pem"));
        AccessDeniedException e = fails(AccessDeniedException.class, kv("MLFLOW_OAUTH2_CLIENT_AUTH", "private_key_jwt",
                "MLFLOW_OAUTH2_CLIENT_ID", KEY_CLIENT, "MLFLOW_OAUTH2_CLIENT_SECRET", null, "MLFLOW_OAUTH2_CLIENT_KEY_PATH", key.toString()));
        assertThat(e.getMessage()).contains("refused client " + KEY_CLIENT + " (invalid_client").contains("MLFLOW_OAUTH2_CLIENT_KEY_PATH")
                .contains("clock");
    }

    @Test
    void aScopeTheClientMayNotHave_isInvalidScope_namingTheScopeVariable() {
        AccessDeniedException e = fails(AccessDeniedException.class, kv("MLFLOW_OAUTH2_SCOPE", "admin"));
        assertThat(e.getMessage()).contains("refused client " + CLIENT + " (invalid_scope").contains("check MLFLOW_OAUTH2_SCOPE (admin)");
    }

    @Test
    void aClientWithoutTheGrant_isUnauthorizedClient() {
        f.idp.allowGrant(CLIENT, false);
        AccessDeniedException e = fails(AccessDeniedException.class, kv());
        assertThat(e.getMessage()).contains("(unauthorized_client").contains("client-credentials grant");
    }

    @Test
    void a503_isTransient_andNamesTheEndpoint() {
        f.idp.failNext(1, 503);
        BackendUnavailableException e = fails(BackendUnavailableException.class, kv());
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains(endpoint()).contains(CLIENT).contains("temporarily_unavailable");
    }

    @Test
    void aTokenWithoutAnyLifetime_isRefused() {
        f.idp.sendExpiresIn(false);
        f.idp.tokenFormat(TokenFormat.JWT_WITHOUT_EXP);
        MalformedSecretException e = fails(MalformedSecretException.class, kv());
        assertThat(e.getMessage()).contains("without a lifetime").contains("expires_in").contains(CLIENT).contains(endpoint());
    }

    @Test
    void anUnreachableIdp_namesTheTokenUrlVariable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        BackendUnavailableException e = fails(BackendUnavailableException.class,
                kv("MLFLOW_OAUTH2_TOKEN_URL", "http://127.0.0.1:" + port + "/token"));
        assertThat(e.getMessage()).contains("connection refused").contains("MLFLOW_OAUTH2_TOKEN_URL");
        assertThat(e.isTransient()).isTrue();
    }

    @Test
    void aWrongIssuer_failsDiscovery_namingTheIssuerVariable() {
        BackendUnavailableException e = fails(BackendUnavailableException.class, kv("MLFLOW_OAUTH2_TOKEN_URL", null,
                "MLFLOW_OAUTH2_ISSUER_URL", f.idp.baseUri() + "/realms/nope"));
        assertThat(e.getMessage()).contains("answered HTTP 404").contains("MLFLOW_OAUTH2_ISSUER_URL");
        assertThat(e.isTransient()).isFalse();
    }

    @Test
    void aDiscoveryDocumentOfAnotherIssuer_isRefused() {
        // Another spelling of the same host: the document's issuer (127.0.0.1) is not the configured one (localhost).
        String issuer = f.idp.issuer().toString().replace("127.0.0.1", "localhost");
        ConfigurationException e = fails(ConfigurationException.class, kv("MLFLOW_OAUTH2_TOKEN_URL", null, "MLFLOW_OAUTH2_ISSUER_URL", issuer));
        assertThat(e.getMessage()).contains("names another issuer").contains("MLFLOW_OAUTH2_ISSUER_URL");
    }

    @Test
    void aPrivateCaWithoutTheBundle_namesTheCaBundleVariable() {
        f.close();
        f = new OAuth2Fixture(OAuthTokenServer.builder().tls(true));
        BackendUnavailableException e = fails(BackendUnavailableException.class, kv());
        assertThat(e.getMessage()).contains("TLS").contains("MLFLOW_OAUTH2_CA_BUNDLE_PATH");
    }

    @Test
    void theClientSecret_staysInTheScrubRegistry_afterMoreTokensThanItHolds() {
        try (SecretProvider p = f.provider(kv())) {
            for (int i = 0; i < io.github.mlflowsecretsauth.redact.KnownSecrets.MAX_VALUES + 6; i++) {
                p.fetch();
            }
        }
        assertThat(f.known.scrub("the IdP echoed " + SECRET)).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledTokenEndpoint_failsAtTheFetchDeadline(StallMode mode) {
        f.idp.stalls().stall(mode, f.idp.tokenEndpoint().getPath());
        long start = System.nanoTime();
        BackendUnavailableException e = fails(BackendUnavailableException.class, kv("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "1"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(e.getMessage()).isEqualTo("the token endpoint " + endpoint() + " did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)");
        assertThat(e.isTransient()).isTrue();
        assertThat(ms).isBetween(950L, 2_500L);
    }
}
