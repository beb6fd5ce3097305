package io.github.mlflowsecretsauth.testkit.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OAuth testkit over real sockets: discovery, each client authentication, RFC 6749 errors, faults, validation. */
class OAuthTokenServerTest {
    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");
    private final HttpClient http = HttpClient.newHttpClient();
    private final TokenKey clientKey = TokenKey.generate("client-key-1");
    private OAuthTokenServer idp;

    @BeforeEach
    void start() throws Exception {
        idp = OAuthTokenServer.builder().clock(clock).tokenLifetime(Duration.ofSeconds(300)).start();
        idp.registerClient("mlflow-ci", "s3cret/+=", Set.of("mlflow.read", "mlflow.write"));
        idp.registerKeyClient("mlflow-jwt", clientKey.publicJwk().toRSAPublicKey(), Set.of());
    }

    @AfterEach
    void stop() {
        idp.close();
    }

    private HttpResponse<String> post(String form, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(idp.tokenEndpoint()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String id, String secret) {
        String pair = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + java.net.URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JsonHttp.MAPPER.readTree(r.body());
    }

    private String assertion(String iss, String aud, Date exp, String jti) {
        return clientKey.sign(new JWTClaimsSet.Builder().issuer(iss).subject(iss).audience(aud).expirationTime(exp).jwtID(jti).build());
    }

    private String jwtForm(String assertion) {
        return "grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                + "&client_assertion=" + assertion;
    }

    @Test
    void discoveryNamesTheTokenEndpointAndJwks_underTheIssuer() throws Exception {
        JsonNode d = json(http.send(HttpRequest.newBuilder(idp.discoveryUri()).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(d.path("issuer").asText()).isEqualTo(idp.issuer().toString()).endsWith("/realms/mlflow");
        assertThat(d.path("token_endpoint").asText()).isEqualTo(idp.tokenEndpoint().toString());
        JsonNode jwks = json(http.send(HttpRequest.newBuilder(URI.create(d.path("jwks_uri").asText())).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(jwks.path("keys").get(0).path("kid").asText()).isEqualTo("oauth-testkit-1");
    }

    @Test
    void clientSecretBasic_issuesAnRs256JwtWithExpiresIn_andRecordsScopeAudienceAndResource() throws Exception {
        HttpResponse<String> r = post("grant_type=client_credentials&scope=mlflow.read%20mlflow.write&audience=mlflow-api"
                + "&resource=https%3A%2F%2Fmlflow.example", basic("mlflow-ci", "s3cret/+="));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_in").asLong()).isEqualTo(300);
        JWTClaimsSet claims = idp.signingKey().verify(body.path("access_token").asText()).orElseThrow();
        assertThat(claims.getSubject()).isEqualTo("mlflow-ci");
        assertThat(claims.getAudience()).containsExactly("mlflow-api");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(300));
        assertThat(claims.getStringClaim("scope")).isEqualTo("mlflow.read mlflow.write");
        TokenRequest seen = idp.tokenRequests().get(0);
        assertThat(seen.clientAuth()).isEqualTo("client_secret_basic");
        assertThat(seen.scope()).contains("mlflow.read mlflow.write");
        assertThat(seen.audience()).contains("mlflow-api");
        assertThat(seen.resource()).contains("https://mlflow.example");
        assertThat(idp.tokensIssued()).isEqualTo(1);
    }

    @Test
    void clientSecretPost_works_andAWrongSecretIsInvalidClient401() throws Exception {
        assertThat(post("grant_type=client_credentials&client_id=mlflow-ci&client_secret=s3cret%2F%2B%3D", null).statusCode()).isEqualTo(200);
        HttpResponse<String> bad = post("grant_type=client_credentials&client_id=mlflow-ci&client_secret=nope", null);
        assertThat(bad.statusCode()).isEqualTo(401);
        assertThat(json(bad).path("error").asText()).isEqualTo("invalid_client");
        HttpResponse<String> badBasic = post("grant_type=client_credentials", basic("mlflow-ci", "nope"));
        assertThat(badBasic.statusCode()).isEqualTo(401);
        assertThat(badBasic.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertThat(idp.tokenRequests()).extracting(TokenRequest::clientAuth).containsExactly("client_secret_post",
                "client_secret_post", "client_secret_basic");
    }

    @Test
    void privateKeyJwt_verifiesSignatureIssAudExpAndAFreshJti() throws Exception {
        Date exp = Date.from(clock.instant().plusSeconds(60));
        String aud = idp.tokenEndpoint().toString();
        String good = assertion("mlflow-jwt", aud, exp, "jti-1");
        assertThat(post(jwtForm(good), null).statusCode()).isEqualTo(200);
        assertThat(json(post(jwtForm(good), null)).path("error_description").asText()).contains("replayed");
        assertThat(post(jwtForm(assertion("mlflow-jwt", "https://elsewhere/token", exp, "jti-2")), null).statusCode()).isEqualTo(401);
        assertThat(post(jwtForm(assertion("mlflow-jwt", aud, Date.from(clock.instant().minusSeconds(1)), "jti-3")), null).statusCode())
                .isEqualTo(401);
        String otherKey = TokenKey.generate("other").sign(new JWTClaimsSet.Builder().issuer("mlflow-jwt").subject("mlflow-jwt")
                .audience(aud).expirationTime(exp).jwtID("jti-4").build());
        assertThat(json(post(jwtForm(otherKey), null)).path("error_description").asText()).contains("signature");
        assertThat(idp.tokenRequests()).extracting(TokenRequest::status).containsExactly(200, 401, 401, 401, 401);
    }

    @Test
    void rfc6749Errors_invalidScope_unauthorizedClient_unsupportedGrant() throws Exception {
        HttpResponse<String> scope = post("grant_type=client_credentials&scope=admin", basic("mlflow-ci", "s3cret/+="));
        assertThat(scope.statusCode()).isEqualTo(400);
        assertThat(json(scope).path("error").asText()).isEqualTo("invalid_scope");
        idp.allowGrant("mlflow-ci", false);
        assertThat(json(post("grant_type=client_credentials", basic("mlflow-ci", "s3cret/+="))).path("error").asText())
                .isEqualTo("unauthorized_client");
        assertThat(json(post("grant_type=password", basic("mlflow-ci", "s3cret/+="))).path("error").asText())
                .isEqualTo("unsupported_grant_type");
        assertThat(post("grant_type=client_credentials", basic("nobody", "x")).statusCode()).isEqualTo(401);
    }

    @Test
    void injectedFailures_thenNormalAnswers() throws Exception {
        idp.failNext(2, 503);
        assertThat(post("grant_type=client_credentials", basic("mlflow-ci", "s3cret/+=")).statusCode()).isEqualTo(503);
        assertThat(post("grant_type=client_credentials", basic("mlflow-ci", "s3cret/+=")).statusCode()).isEqualTo(503);
        assertThat(post("grant_type=client_credentials", basic("mlflow-ci", "s3cret/+=")).statusCode()).isEqualTo(200);
    }

    @Test
    void aStalledTokenEndpointNeverAnswers() throws Exception {
        idp.stalls().stallNext(1, StallMode.NEVER_ANSWER, idp.tokenEndpoint().getPath());
        HttpRequest r = HttpRequest.newBuilder(idp.tokenEndpoint()).timeout(Duration.ofMillis(300))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(r, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(idp.stalls().stalledCount()).isEqualTo(1);
    }

    @Test
    void withoutExpiresIn_andWithoutExp_theAnswerSaysNothingOfTheLifetime() throws Exception {
        idp.sendExpiresIn(false);
        idp.tokenFormat(TokenFormat.JWT_WITHOUT_EXP);
        JsonNode body = json(post("grant_type=client_credentials", basic("mlflow-ci", "s3cret/+=")));
        assertThat(body.has("expires_in")).isFalse();
        assertThat(idp.signingKey().verify(body.path("access_token").asText()).orElseThrow().getExpirationTime()).isNull();
    }

    @Test
    void validation_acceptsAFreshTokenWithTheAudience_refusesExpiredForeignAndWrongAudience() throws Exception {
        String token = json(post("grant_type=client_credentials&audience=mlflow-api", basic("mlflow-ci", "s3cret/+="))).path("access_token").asText();
        assertThat(validate(token, "mlflow-api")).isEqualTo(200);
        assertThat(validate(token, "other-api")).isEqualTo(401);
        assertThat(validate(TokenKey.generate("x").sign(new JWTClaimsSet.Builder().issuer(idp.issuer().toString())
                .audience("mlflow-api").build()), "mlflow-api")).isEqualTo(401);
        assertThat(validate("garbage-" + UUID.randomUUID(), null)).isEqualTo(401);
        clock.advance(Duration.ofSeconds(301));
        assertThat(validate(token, "mlflow-api")).isEqualTo(401);
    }

    private int validate(String token, String audience) throws Exception {
        return http.send(HttpRequest.newBuilder(idp.validationUri(audience)).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
