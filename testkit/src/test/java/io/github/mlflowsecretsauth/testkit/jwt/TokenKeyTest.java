package io.github.mlflowsecretsauth.testkit.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenKeyTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void signsClaimsThatItsOwnPublicHalfVerifies() throws Exception {
        TokenKey key = TokenKey.generate("k1");
        String token = key.sign("https://issuer", "sub-1", "aud-1", NOW, NOW.plusSeconds(60), Map.of("scope", "a b"));

        var claims = key.verify(token).orElseThrow();
        assertThat(claims.getSubject()).isEqualTo("sub-1");
        assertThat(claims.getAudience()).containsExactly("aud-1");
        assertThat(claims.getStringClaim("scope")).isEqualTo("a b");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(60));
        assertThat(key.jwksJson()).contains("\"kid\":\"k1\"").doesNotContain("\"d\":");
    }

    @Test
    void refusesAnotherKeysTokenATamperedTokenAndNonsense() {
        TokenKey key = TokenKey.generate("k1");
        TokenKey other = TokenKey.generate("k1");
        String token = other.sign("i", "s", "a", NOW, NOW.plusSeconds(60), Map.of());
        String mine = key.sign("i", "s", "a", NOW, NOW.plusSeconds(60), Map.of());
        String[] parts = mine.split("\\.");
        String tampered = parts[0] + "." + key.sign("i", "root", "a", NOW, NOW.plusSeconds(60), Map.of()).split("\\.")[1] + "." + parts[2];

        assertThat(key.verify(token)).isEmpty();
        assertThat(key.verify(tampered)).isEmpty();
        assertThat(key.verify("not-a-jwt")).isEmpty();
        assertThat(key.verify(mine)).isPresent();
    }
}
