package io.github.mlflowsecretsauth.testkit.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.oauth.OAuthTokenServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The njs audience front in a real nginx, against the testkit IdP's RFC 7662 introspection endpoint (Keycloak's path
 * and answer) with an injected clock: only an active token whose {@code aud} holds the audience reaches MLflow.
 * {@code proxy/KeycloakOAuth2IT} runs the same front against a real Keycloak.
 */
class AudienceFrontTest {
    private static final String AUDIENCE = "mlflow-api";
    private static final String SEARCH = "/api/2.0/mlflow/experiments/search?max_results=1";
    private static final String FRONT_SECRET = "CANARY-front-3a1f";

    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private OAuthTokenServer idp;
    private MlflowServer mlflow;
    private Nginx front;

    @BeforeEach
    void start() {
        assumeTrue(AudienceFront.isAvailable(), AudienceFront.NOT_INSTALLED);
        idp = OAuthTokenServer.builder().clock(clock).tokenLifetime(Duration.ofSeconds(300)).start();
        idp.registerClient("trainer", "s1", Set.of());
        idp.registerClient("nginx-front", FRONT_SECRET, Set.of());
        mlflow = MlflowServer.builder().start();
        front = frontWith(FRONT_SECRET);
    }

    private Nginx frontWith(String secret) {
        return AudienceFront.protect(Nginx.builder(), "/api/", mlflow.uri(), idp.introspectionUri(), "nginx-front", secret,
                AUDIENCE).start();
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {front, mlflow, idp}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    private String token(String audience) throws Exception {
        String form = "grant_type=client_credentials" + (audience == null ? "" : "&audience=" + audience);
        HttpRequest r = HttpRequest.newBuilder(idp.tokenEndpoint()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("trainer:s1".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return JsonHttp.MAPPER.readTree(http.send(r, HttpResponse.BodyHandlers.ofString()).body()).path("access_token").asText();
    }

    private int get(Nginx nginx, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(nginx.uri() + SEARCH));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aTokenForMlflow_reachesMlflow_andOneForAnotherAudienceOrNoneDoesNot() throws Exception {
        assertThat(get(front, token(AUDIENCE))).isEqualTo(200);
        assertThat(mlflow.calls()).hasSize(1);
        assertThat(get(front, token("other-api"))).as("another audience").isEqualTo(401);
        assertThat(get(front, token(null))).as("no audience").isEqualTo(401);
        assertThat(get(front, null)).as("no token").isEqualTo(401);
        assertThat(get(front, "not-a-jwt")).isEqualTo(401);
        assertThat(mlflow.calls()).as("refused by nginx").hasSize(1);
    }

    @Test
    void anExpiredOrForgedToken_isRefused() throws Exception {
        String token = token(AUDIENCE);
        String forged = TokenKey.generate("oauth-testkit-1").sign(new JWTClaimsSet.Builder().issuer(idp.issuer().toString())
                .subject("trainer").audience(AUDIENCE).expirationTime(Date.from(clock.instant().plusSeconds(300))).build());
        assertThat(get(front, forged)).as("signed by another key").isEqualTo(401);
        assertThat(get(front, token)).isEqualTo(200);
        clock.advance(Duration.ofSeconds(301)); // the IdP's clock: the token's exp has passed
        assertThat(get(front, token)).as("expired").isEqualTo(401);
        assertThat(mlflow.calls()).hasSize(1);
    }

    @Test
    void whenTheIdpCannotBeAsked_nginxFailsClosed() throws Exception {
        String token = token(AUDIENCE);
        try (Nginx refused = frontWith("a-wrong-front-secret")) {
            assertThat(get(refused, token)).as("the front's own client refused").isEqualTo(500);
            assertThat(refused.errorLog()).contains("token introspection answered HTTP 401").doesNotContain(token);
        }
        idp.close();
        assertThat(get(front, token)).as("the IdP down").isEqualTo(500);
        assertThat(mlflow.calls()).isEmpty();
    }

    @Test
    void theSecretStaysInNginxConf_andTheScriptIsTheOneInTheDocs() throws Exception {
        assertThat(front.config()).contains("Basic " + Base64.getEncoder().encodeToString(("nginx-front:" + FRONT_SECRET)
                .getBytes(StandardCharsets.UTF_8)));
        String script = Files.readString(front.directory().resolve(AudienceFront.SCRIPT));
        assertThat(script).isEqualTo(AudienceFront.script()).doesNotContain(FRONT_SECRET);
        Path doc = Path.of("..", "docs", "identity", "keycloak.md");
        String docs = Files.readString(doc);
        script.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("//"))
                .forEach(l -> assertThat(docs).as("docs/identity/keycloak.md shows the shipped script").contains(l));
    }
}
