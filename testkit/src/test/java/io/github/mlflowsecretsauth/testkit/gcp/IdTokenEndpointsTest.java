package io.github.mlflowsecretsauth.testkit.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.IdToken;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The testkit's ID-token endpoints in Google's wire formats: the token endpoint's {@code id_token} for a
 * {@code target_audience} assertion (driven by the real Google auth library), the metadata server's
 * {@code identity} (its header and audience checks) and IAM credentials' {@code generateIdToken} (its bearer check),
 * each token RS256-signed by {@link GcpSecretManagerServer#idTokenKey()} with {@code aud} the audience and {@code exp}
 * after the token lifetime.
 */
class IdTokenEndpointsTest {
    private static final String AUDIENCE = "https://mlflow-abc123-uc.a.run.app";
    private final HttpClient http = HttpClient.newHttpClient();
    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private GcpSecretManagerServer gcp;

    @BeforeEach
    void start() {
        gcp = GcpSecretManagerServer.builder().clock(clock).tokenLifetime(Duration.ofMinutes(5)).start();
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private HttpResponse<String> metadata(String query, boolean flavor) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gcp.endpoint().resolve(
                "/computeMetadata/v1/instance/service-accounts/default/identity" + query));
        if (flavor) {
            b.header("Metadata-Flavor", "Google");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTargetAudienceAssertion_isAnsweredWithAnIdTokenForThatAudience() throws Exception {
        ServiceAccount sa = gcp.createServiceAccount("mlflow-caller");
        ServiceAccountCredentials c = (ServiceAccountCredentials) ServiceAccountCredentials.fromStream(
                new ByteArrayInputStream(sa.keyFileJson(gcp.tokenUri()).getBytes(StandardCharsets.UTF_8)));
        IdToken token = c.createWithCustomRetryStrategy(false).idTokenWithAudience(AUDIENCE, List.of());
        JWTClaimsSet claims = gcp.idTokenKey().verify(token.getTokenValue()).orElseThrow();
        assertThat(claims.getAudience()).containsExactly(AUDIENCE);
        assertThat(claims.getIssuer()).isEqualTo("https://accounts.google.com");
        assertThat(claims.getStringClaim("email")).isEqualTo(sa.email());
        assertThat(claims.getSubject()).isEqualTo(sa.clientId());
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(clock.instant().plusSeconds(300));
        assertThat(token.getExpirationTime().toInstant()).isEqualTo(claims.getExpirationTime().toInstant());
        assertThat(gcp.idTokensIssued()).isEqualTo(1);
        assertThat(gcp.tokensIssued()).as("no access token").isZero();
    }

    @Test
    void theMetadataIdentity_checksTheFlavorHeaderAndTheAudience_andAnswersTheBareJwt() throws Exception {
        HttpResponse<String> noFlavor = metadata("?audience=" + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8), false);
        assertThat(noFlavor.statusCode()).isEqualTo(403);
        assertThat(noFlavor.body()).contains("Missing Metadata-Flavor:Google header.");
        HttpResponse<String> noAudience = metadata("?format=full", true);
        assertThat(noAudience.statusCode()).isEqualTo(400);
        assertThat(noAudience.body()).isEqualTo("non-empty audience parameter required");

        HttpResponse<String> ok = metadata("?audience=" + URLEncoder.encode(AUDIENCE, StandardCharsets.UTF_8) + "&format=full", true);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Metadata-Flavor")).contains("Google");
        JWTClaimsSet claims = gcp.idTokenKey().verify(ok.body()).orElseThrow();
        assertThat(claims.getAudience()).containsExactly(AUDIENCE);
        assertThat(claims.getStringClaim("email")).isEqualTo(gcp.computeServiceAccount());
        assertThat(ok.body()).isEqualTo(gcp.idTokenFor(gcp.computeServiceAccount(), AUDIENCE));
        assertThat(gcp.calls(GcpCall.Kind.METADATA_ID_TOKEN)).extracting(GcpCall::status).containsExactly(403, 400, 200);
    }

    @Test
    void generateIdToken_wantsACredentialOfTheCaller_andAnswersGooglesErrorJson() throws Exception {
        ServiceAccount target = gcp.createServiceAccount("mlflow-invoker");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(gcp.endpoint().resolve("/v1/projects/-/serviceAccounts/"
                        + target.email() + ":generateIdToken")).header("Authorization", "Bearer not-issued-here")
                .POST(HttpRequest.BodyPublishers.ofString("{\"audience\":\"" + AUDIENCE + "\",\"includeEmail\":true}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(JsonHttp.MAPPER.readTree(r.body()).path("error").path("status").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(gcp.calls(GcpCall.Kind.GENERATE_ID_TOKEN)).singleElement().satisfies(c -> assertThat(c.principal()).isEmpty());
        assertThat(gcp.idTokensIssued()).isZero();
    }
}
