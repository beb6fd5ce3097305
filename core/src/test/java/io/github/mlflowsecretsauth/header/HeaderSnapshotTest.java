package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.secret.Credential;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderSnapshotTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    /** Long enough (30 characters) for the partial mask, which shows the first and last four. */
    private static final String LONG_CANARY = CANARY + "-9x8y7z0w";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6";
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static HeaderSnapshot snapshot(String name, String value, AuthMode mode, Optional<String> version) {
        return HeaderSnapshot.of(name, value, mode, "vault", "vault:secret/mlflow/auth", version, AT);
    }

    @Test
    void of_buildsOneEntryHeaderMap() {
        HeaderSnapshot s = snapshot("Authorization", "Bearer " + CANARY, AuthMode.BEARER, Optional.empty());
        assertThat(s.headers()).containsExactly(Map.entry("Authorization", "Bearer " + CANARY));
        assertThat(s.headerName()).isEqualTo("Authorization");
        assertThat(s.headerValue()).isEqualTo("Bearer " + CANARY);
    }

    @Test
    void headers_areImmutable() {
        HeaderSnapshot s = snapshot("Authorization", "Bearer x", AuthMode.BEARER, Optional.empty());
        assertThatThrownBy(() -> s.headers().put("X-Other", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void customHeaderName_keepsScheme_asTheFaqShows() {
        String value = HeaderRenderer.render(Credential.ofToken(CANARY), AuthMode.BEARER, "MLFLOW_VAULT_AUTH_MODE", "loc");
        HeaderSnapshot s = snapshot("X-MLflow-Auth", value, AuthMode.BEARER, Optional.empty());
        assertThat(s.headers()).containsExactly(Map.entry("X-MLflow-Auth", "Bearer " + CANARY));
    }

    @Test
    void maskedValue_followsTheFaqForm() {
        HeaderSnapshot s = snapshot("Authorization", "Bearer " + JWT, AuthMode.BEARER, Optional.empty());
        assertThat(s.maskedValue()).isEqualTo("Bearer eyJh********cCI6");
    }

    @Test
    void toString_masksTheValueAndShowsMetadata() {
        HeaderSnapshot s = snapshot("Authorization", "Bearer " + LONG_CANARY, AuthMode.BEARER, Optional.of("7"));
        assertThat(s.toString())
                .doesNotContain(CANARY)
                .contains("Authorization: Bearer CANA********7z0w")
                .contains("mode=bearer", "provider=vault", "location=vault:secret/mlflow/auth", "version=7", AT.toString());
    }

    @Test
    void toString_shortBearerToken_isAllStars() {
        HeaderSnapshot s = snapshot("Authorization", "Bearer " + CANARY, AuthMode.BEARER, Optional.of("7"));
        assertThat(s.toString()).doesNotContain(CANARY).doesNotContain("CANA").contains("Authorization: Bearer ********,");
        assertThat(s.maskedValue()).isEqualTo("Bearer ********");
    }

    @Test
    void toString_withoutVersion_omitsIt() {
        HeaderSnapshot s = snapshot("Authorization", "Bearer " + CANARY, AuthMode.BEARER, Optional.empty());
        assertThat(s.toString()).doesNotContain("version=").doesNotContain(CANARY);
    }

    @Test
    void toString_basic_showsNeitherEncodedNorDecodedCredentials() {
        String value = HeaderRenderer.render(Credential.ofUserPassword("alice", CANARY), AuthMode.BASIC, "V", "loc");
        String encoded = value.substring("Basic ".length());
        HeaderSnapshot s = snapshot("Authorization", value, AuthMode.BASIC, Optional.empty());
        assertThat(s.toString()).doesNotContain(CANARY).doesNotContain(encoded).contains("Basic ").contains("mode=basic");
        assertThat(encoded).isEqualTo(Base64.getEncoder().encodeToString(("alice:" + CANARY).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void toString_raw_masksBareToken() {
        HeaderSnapshot s = snapshot("X-Api-Key", LONG_CANARY, AuthMode.RAW, Optional.empty());
        assertThat(s.toString()).doesNotContain(CANARY).contains("X-Api-Key: CANA********7z0w", "mode=raw");
        HeaderSnapshot twenty = snapshot("X-Api-Key", CANARY, AuthMode.RAW, Optional.empty());
        assertThat(twenty.toString()).doesNotContain(CANARY).doesNotContain("CANA").contains("X-Api-Key: ********,");
        HeaderSnapshot shortKey = snapshot("X-Api-Key", "k3y", AuthMode.RAW, Optional.empty());
        assertThat(shortKey.toString()).contains("X-Api-Key: ********").doesNotContain("k3y");
    }

    @Test
    void toString_rawTokenWithSpace_doesNotShowItsFirstWord() {
        // a raw API key such as "s3cr3tpart rest" has no scheme: its first word is masked with the rest
        HeaderSnapshot s = snapshot("X-Api-Key", "Hunter2pw " + CANARY, AuthMode.RAW, Optional.empty());
        assertThat(s.toString()).doesNotContain("Hunter2pw").doesNotContain(CANARY).contains("X-Api-Key: Hunt********2a9c");
    }
}
