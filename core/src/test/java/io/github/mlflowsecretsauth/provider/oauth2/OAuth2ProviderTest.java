package io.github.mlflowsecretsauth.provider.oauth2;

import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.CLIENT;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.KEY_CLIENT;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.SECRET;
import static io.github.mlflowsecretsauth.provider.oauth2.OAuth2Fixture.kv;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testkit.oauth.OAuthTokenServer;
import io.github.mlflowsecretsauth.testkit.oauth.TokenFormat;
import io.github.mlflowsecretsauth.testkit.oauth.TokenRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The oauth2 provider against the OAuth testkit over real sockets: each client authentication, discovery, lifetimes. */
class OAuth2ProviderTest {
    private OAuth2Fixture f = new OAuth2Fixture();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        f.close();
    }

    private static String token(SecretValue v) {
        return (String) v.fields().orElseThrow().get("token");
    }

    private JWTClaimsSet verified(SecretValue v) {
        return f.idp.signingKey().verify(token(v)).orElseThrow();
    }

    @Test
    void clientSecretBasic_isTheDefault_andTheTokenExpiresAfterExpiresIn() {
        try (SecretProvider p = f.provider(kv())) {
            SecretValue v = p.fetch();
            assertThat(verified(v).getSubject()).isEqualTo(CLIENT);
            assertThat(v.expiresAt()).contains(f.clock.instant().plusSeconds(300));
            assertThat(v.location()).contains(f.idp.tokenEndpoint().getPath()).contains(CLIENT).doesNotContain(SECRET);
            assertThat(f.idp.tokenRequests()).extracting(TokenRequest::clientAuth).containsExactly("client_secret_basic");
        }
    }

    @Test
    void clientSecretPost_sendsTheCredentialsInTheBody() {
        try (SecretProvider p = f.provider(kv("MLFLOW_OAUTH2_CLIENT_AUTH", "client_secret_post"))) {
            assertThat(verified(p.fetch()).getSubject()).isEqualTo(CLIENT);
            assertThat(f.idp.tokenRequests()).extracting(TokenRequest::clientAuth).containsExactly("client_secret_post");
        }
    }

    @Test
    void privateKeyJwt_signsAFreshAssertionForEachToken() throws Exception {
        Path key = OAuth2Fixture.writePkcs8(f.clientKey, dir.resolve("client.pem"));
        try (SecretProvider p = f.provider(kv("MLFLOW_OAUTH2_CLIENT_AUTH", "private_key_jwt", "MLFLOW_OAUTH2_CLIENT_ID", KEY_CLIENT,
                "MLFLOW_OAUTH2_CLIENT_SECRET", null, "MLFLOW_OAUTH2_CLIENT_KEY_PATH", key.toString(), "MLFLOW_OAUTH2_CLIENT_KEY_ID", "k1"))) {
            assertThat(verified(p.fetch()).getSubject()).isEqualTo(KEY_CLIENT);
            assertThat(verified(p.fetch()).getSubject()).isEqualTo(KEY_CLIENT); // a second jti: not refused as a replay
            assertThat(f.idp.tokenRequests()).extracting(TokenRequest::clientAuth, TokenRequest::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("private_key_jwt", 200),
                            org.assertj.core.groups.Tuple.tuple("private_key_jwt", 200));
            assertThat(p.describe()).containsEntry("client auth", "private_key_jwt (RS256)");
        }
    }

    @Test
    void privateKeyJwt_withAnEcP256Key_signsEs256() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair ec = g.generateKeyPair();
        f.idp.registerKeyClient("mlflow-ec", ec.getPublic(), java.util.Set.of());
        Path key = OAuth2Fixture.writePkcs8(ec, dir.resolve("ec.pem"));
        try (SecretProvider p = f.provider(kv("MLFLOW_OAUTH2_CLIENT_AUTH", "private_key_jwt", "MLFLOW_OAUTH2_CLIENT_ID", "mlflow-ec",
                "MLFLOW_OAUTH2_CLIENT_SECRET", null, "MLFLOW_OAUTH2_CLIENT_KEY_PATH", key.toString()))) {
            assertThat(verified(p.fetch()).getSubject()).isEqualTo("mlflow-ec");
            assertThat(p.describe()).containsEntry("client auth", "private_key_jwt (ES256)");
        }
        // The same EC key registered for a client whose assertions the IdP checks as RSA is refused.
        f.idp.registerKeyClient(KEY_CLIENT, f.clientKey.getPublic(), java.util.Set.of());
        try (SecretProvider p = f.provider(kv("MLFLOW_OAUTH2_CLIENT_AUTH", "private_key_jwt", "MLFLOW_OAUTH2_CLIENT_ID", KEY_CLIENT,
                "MLFLOW_OAUTH2_CLIENT_SECRET", null, "MLFLOW_OAUTH2_CLIENT_KEY_PATH", key.toString()))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(p::fetch).hasMessageContaining("invalid_client");
        }
    }

    @Test
    void scopeAudienceAndResource_areSent_andDescribeShowsTheTokensClaims() {
        try (SecretProvider p = f.provider(kv("MLFLOW_OAUTH2_SCOPE", "mlflow.read  mlflow.write", "MLFLOW_OAUTH2_AUDIENCE", "mlflow-api",
                "MLFLOW_OAUTH2_RESOURCE", "https://mlflow.example.com"))) {
            p.fetch();
            TokenRequest r = f.idp.tokenRequests().get(0);
            assertThat(r.scope()).contains("mlflow.read mlflow.write");
            assertThat(r.audience()).contains("mlflow-api");
            assertThat(r.resource()).contains("https://mlflow.example.com");
            assertThat(p.describe()).containsEntry("token subject", CLIENT).containsEntry("token audience", "mlflow-api")
                    .containsEntry("token scopes", "mlflow.read mlflow.write").containsEntry("token issuer", f.idp.issuer().toString())
                    .containsEntry("token expires at", f.clock.instant().plusSeconds(300).toString());
            assertThat(p.describe().toString()).doesNotContain(SECRET);
        }
    }

    @Test
    void discovery_findsTheTokenEndpointFromTheIssuer_once() {
        try (SecretProvider p = f.provider(kv("MLFLOW_OAUTH2_TOKEN_URL", null, "MLFLOW_OAUTH2_ISSUER_URL", f.idp.issuer() + "/"))) {
            assertThat(p.describe()).containsEntry("token endpoint", "(by discovery)");
            p.fetch();
            p.fetch();
            assertThat(f.idp.tokensIssued()).isEqualTo(2);
            assertThat(p.describe()).containsEntry("token endpoint", f.idp.tokenEndpoint().toString());
        }
    }

    @Test
    void withoutExpiresIn_theJwtsExpIsTheLifetime() {
        f.idp.sendExpiresIn(false);
        f.idp.tokenLifetime(Duration.ofSeconds(90));
        try (SecretProvider p = f.provider(kv())) {
            assertThat(p.fetch().expiresAt()).contains(f.clock.instant().plusSeconds(90));
        }
    }

    @Test
    void anOpaqueTokenWithExpiresIn_isUsedForItsLifetime() {
        f.idp.tokenFormat(TokenFormat.OPAQUE);
        try (SecretProvider p = f.provider(kv())) {
            SecretValue v = p.fetch();
            assertThat(token(v)).startsWith("opaque-");
            assertThat(v.expiresAt()).contains(f.clock.instant().plusSeconds(300));
        }
    }

    @Test
    void aCaBundleLetsTheProviderTrustAPrivateCa() {
        f.close();
        f = new OAuth2Fixture(OAuthTokenServer.builder().tls(true));
        try (SecretProvider p = f.provider(kv("MLFLOW_OAUTH2_CA_BUNDLE_PATH", f.idp.certificatePem().toString()))) {
            assertThat(verified(p.fetch()).getSubject()).isEqualTo(CLIENT);
        }
    }
}
