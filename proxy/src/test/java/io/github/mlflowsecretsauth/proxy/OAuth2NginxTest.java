package io.github.mlflowsecretsauth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.oauth.OAuthTokenServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The oauth2 provider through the proxy to a real nginx whose {@code auth_request} asks the OAuth testkit IdP to check
 * each token (signature, issuer, expiry, audience {@code mlflow-api}) in front of the testkit MLflow server: a wrong,
 * expired or wrong-audience token is refused by nginx and the IdP, not by this project's code. The IdP and the engine
 * share one fake clock, so expiry needs no waiting.
 */
class OAuth2NginxTest {
    private static final String CLIENT = "mlflow-trainer";
    private static final String SECRET = "CANARY-oauth2-nginx-secret-5a0e";
    private static final String SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1";

    private final Engines engines = new Engines();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private OAuthTokenServer idp;
    private MlflowServer mlflow;
    private Nginx nginx;
    private SecretsAuth auth;
    private AuthProxy proxy;

    @BeforeAll
    static void nginxInstalled() {
        Nginx.requireAvailable();
        assumeTrue(Nginx.isAvailable(), Nginx.NOT_INSTALLED);
    }

    @BeforeEach
    void start() {
        idp = OAuthTokenServer.builder().clock(engines.clock).tokenLifetime(Duration.ofSeconds(60)).start();
        idp.registerClient(CLIENT, SECRET, Set.of("mlflow"));
        mlflow = MlflowServer.builder().start();
        String mlflowHost = mlflow.uri().getHost() + ":" + mlflow.uri().getPort();
        // Only /api/ is served, each request checked first by a subrequest to the IdP; everything else is 404.
        nginx = Nginx.builder()
                .location("/api/", "auth_request /_oauth2_check;\nproxy_pass http://" + mlflowHost + ";\n"
                        + "proxy_set_header Host " + mlflowHost + ";")
                .location("= /_oauth2_check", "internal;\nproxy_pass " + idp.validationUri("mlflow-api") + ";\n"
                        + "proxy_pass_request_body off;\nproxy_set_header Content-Length \"\";")
                .start();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (auth != null) {
            auth.close();
        }
        nginx.close();
        mlflow.close();
        idp.close();
    }

    private void startProxy(String audience) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "oauth2");
        s.put("MLFLOW_OAUTH2_ISSUER_URL", idp.issuer().toString());
        s.put("MLFLOW_OAUTH2_CLIENT_ID", CLIENT);
        s.put("MLFLOW_OAUTH2_CLIENT_SECRET", SECRET);
        s.put("MLFLOW_OAUTH2_SCOPE", "mlflow");
        s.put("MLFLOW_OAUTH2_AUDIENCE", audience);
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        auth = engines.engine(s);
        proxy = AuthProxy.builder(auth, nginx.uri()).start();
    }

    private HttpResponse<String> viaProxy() throws Exception {
        return http.send(HttpRequest.newBuilder(proxy.uri().resolve(SEARCH)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int directToNginx(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(nginx.uri().resolve(SEARCH)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String lastToken() {
        return mlflow.calls().get(mlflow.calls().size() - 1).header("Authorization").orElseThrow();
    }

    @Test
    void aMintedToken_passesNginxsCheckAtTheIdp_andReachesMlflow() throws Exception {
        startProxy("mlflow-api");
        HttpResponse<String> r = viaProxy();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"experiments\"");
        assertThat(lastToken()).startsWith("Bearer ey");
        assertThat(idp.tokensIssued()).isEqualTo(1);
        assertThat(directToNginx(lastToken())).isEqualTo(200); // the same token, checked again by nginx and the IdP
    }

    @Test
    void noTokenOrAForgedOne_isRefusedByNginx() throws Exception {
        assertThat(directToNginx(null)).isEqualTo(401);
        String forged = TokenKey.generate("oauth-testkit-1").sign(new JWTClaimsSet.Builder().issuer(idp.issuer().toString())
                .subject(CLIENT).audience("mlflow-api").expirationTime(Date.from(engines.clock.instant().plusSeconds(60))).build());
        assertThat(directToNginx("Bearer " + forged)).isEqualTo(401);
        assertThat(mlflow.calls()).isEmpty();
    }

    @Test
    void anExpiredToken_isRefusedByNginx_whileTheEngineHasAlreadyMintedTheNextOne() throws Exception {
        startProxy("mlflow-api");
        assertThat(viaProxy().statusCode()).isEqualTo(200);
        String first = lastToken();
        engines.clock.advance(Duration.ofSeconds(61)); // past the token's exp, for the IdP and the engine alike
        assertThat(directToNginx(first)).isEqualTo(401);
        assertThat(viaProxy().statusCode()).isEqualTo(200);
        assertThat(lastToken()).isNotEqualTo(first);
        assertThat(idp.tokensIssued()).isEqualTo(2);
    }

    @Test
    void aTokenForAnotherAudience_isRefusedByNginx_andNeverReachesMlflow() throws Exception {
        startProxy("some-other-api");
        HttpResponse<String> r = viaProxy();
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain(SECRET);
        assertThat(mlflow.calls()).isEmpty();
        assertThat(idp.tokensIssued()).as("one fresh token for the one replay after the 401").isEqualTo(2);
    }

    @Test
    void overTenLifetimes_everyCallPasses_withAboutOneTokenRequestPerLifetime() throws Exception {
        startProxy("mlflow-api");
        int calls = 0;
        for (int step = 0; step < 10 * 12; step++) { // 5 s steps over 10 lifetimes of 60 s
            engines.scheduler.advance(Duration.ofSeconds(5));
            for (int i = 0; i < 2; i++) {
                assertThat(viaProxy().statusCode()).as("call at step " + step).isEqualTo(200);
                calls++;
            }
        }
        System.out.printf("oauth2 through proxy and nginx: %d calls over 10 lifetimes of 60 s, %d token requests%n", calls,
                idp.tokensIssued());
        assertThat(idp.tokensIssued()).isBetween(10, 16);
        assertThat(mlflow.calls()).hasSize(calls);
    }
}
