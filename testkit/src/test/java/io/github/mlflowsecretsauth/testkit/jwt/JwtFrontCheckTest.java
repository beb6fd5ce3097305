package io.github.mlflowsecretsauth.testkit.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.tracking.memory.MutableClock;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The nimbus-based auth_request target over a real socket, on an injected clock: what it lets through, what not. */
class JwtFrontCheckTest {
    private static final String ISS = "https://login.example/tenant/v2.0";
    private static final String AUD = "api://mlflow";
    private final MutableClock clock = MutableClock.startingAt("2026-03-01T10:00:00Z");
    private final TokenKey key = TokenKey.generate("issuer-key-1");
    private final JwtFrontCheck check = JwtFrontCheck.start(key.jwksJson(), ISS, AUD, clock);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        check.close();
    }

    private JWTClaimsSet.Builder claims() {
        Instant now = clock.instant();
        return new JWTClaimsSet.Builder().issuer(ISS).audience(AUD).subject("trainer").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60)));
    }

    private int status(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(check.uri());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aTokenOfTheIssuerForTheAudience_passes_untilItsExp_withNoLeeway() throws Exception {
        String token = key.sign(claims().build());
        assertThat(status("Bearer " + token)).isEqualTo(204);
        clock.advance(Duration.ofSeconds(60));
        assertThat(status("Bearer " + token)).as("at exp").isEqualTo(401);
        assertThat(check.accepted()).isEqualTo(1);
        assertThat(check.refused()).isEqualTo(1);
    }

    @Test
    void wrongAudienceIssuerOrKey_missingExpOrSub_andNoBearer_areRefused() throws Exception {
        assertThat(status("Bearer " + key.sign(claims().audience("api://other").build()))).isEqualTo(401);
        assertThat(status("Bearer " + key.sign(claims().issuer("https://evil.example").build()))).isEqualTo(401);
        assertThat(status("Bearer " + TokenKey.generate("issuer-key-1").sign(claims().build()))).as("another key").isEqualTo(401);
        assertThat(status("Bearer " + key.sign(claims().expirationTime(null).build()))).as("no exp").isEqualTo(401);
        assertThat(status("Bearer " + key.sign(claims().subject(null).build()))).as("no sub").isEqualTo(401);
        assertThat(status("Basic dXNlcjpwdw==")).isEqualTo(401);
        assertThat(status("Bearer not.a.jwt")).isEqualTo(401);
        assertThat(status(null)).isEqualTo(401);
        assertThat(check.accepted()).isZero();
    }
}
