package io.github.mlflowsecretsauth.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading a JWT's claims without verifying it: what it names, when it expires, and why a text is not a JWT. */
class JwtClaimsTest {
    private static String jwt(String payloadJson) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    @Test
    void standardClaims_andAListAudience_andListClaimsJoined() throws Exception {
        JwtClaims c = JwtClaims.parse(jwt("{\"iss\":\"https://issuer\",\"sub\":\"app\",\"aud\":[\"a\",\"b\"],"
                + "\"exp\":1767225600,\"iat\":1767222000,\"roles\":[\"Writer\",\"Reader\"],\"nested\":{\"x\":1}}"));
        assertThat(c.issuer()).contains("https://issuer");
        assertThat(c.subject()).contains("app");
        assertThat(c.audience()).isEqualTo(List.of("a", "b"));
        assertThat(c.expiresAt()).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(c.issuedAt()).contains(Instant.parse("2025-12-31T23:00:00Z"));
        assertThat(c.claims()).containsEntry("roles", "Writer Reader").doesNotContainKey("nested");
    }

    @Test
    void aTokenWithoutExp_hasNoExpiry() throws Exception {
        assertThat(JwtClaims.parse(jwt("{\"sub\":\"legacy\",\"aud\":\"one\"}")).expiresAt()).isEmpty();
        assertThat(JwtClaims.parse(jwt("{\"aud\":\"one\"}")).audience()).containsExactly("one");
    }

    @Test
    void notAJwt_saysWhy_withoutTheText() {
        assertThatThrownBy(() -> JwtClaims.parse("opaque-secret-token")).isInstanceOf(JwtClaims.NotAJwt.class)
                .hasMessageContaining("three base64url parts").hasMessageNotContaining("opaque-secret-token");
        assertThatThrownBy(() -> JwtClaims.parse("a.%%%.c")).isInstanceOf(JwtClaims.NotAJwt.class)
                .hasMessageContaining("not base64url-encoded JSON");
        assertThatThrownBy(() -> JwtClaims.parse(jwt("[1,2]"))).isInstanceOf(JwtClaims.NotAJwt.class)
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> JwtClaims.parse(jwt("{\"exp\":\"tomorrow\"}"))).isInstanceOf(JwtClaims.NotAJwt.class)
                .hasMessageContaining("exp claim");
    }
}
