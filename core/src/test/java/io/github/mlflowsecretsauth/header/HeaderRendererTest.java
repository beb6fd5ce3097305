package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.secret.Credential;
import io.github.mlflowsecretsauth.secret.CredentialParser;
import io.github.mlflowsecretsauth.secret.SecretValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderRendererTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final String MODE_VAR = "MLFLOW_VAULT_AUTH_MODE";
    private static final String LOC = "vault:secret/mlflow/auth";

    private static String render(Credential c, AuthMode mode) {
        return HeaderRenderer.render(c, mode, MODE_VAR, LOC);
    }

    private static String decodeBasic(String headerValue) {
        assertThat(headerValue).startsWith("Basic ");
        return new String(Base64.getDecoder().decode(headerValue.substring("Basic ".length())), StandardCharsets.UTF_8);
    }

    private static void assertMalformed(Runnable r, String... fragments) {
        assertThatThrownBy(r::run)
                .isInstanceOf(MalformedSecretException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("the secret at " + LOC)
                        .contains(fragments)
                        .doesNotContain(CANARY)
                        .doesNotContain(Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8)))
                        .doesNotContain("\n")
                        .doesNotContain("\r"));
    }

    @Test
    void aHeaderValueLongerThan8KiB_isRefused_withoutTheValue() {
        String huge = CANARY.repeat(8 * 1024 / CANARY.length() + 1);
        assertMalformed(() -> render(Credential.ofToken(huge), AuthMode.BEARER), "too long for an HTTP header");
        assertThat(render(Credential.ofToken(huge.substring(0, 8 * 1024 - "Bearer ".length())), AuthMode.BEARER))
                .hasSize(HeaderRenderer.MAX_VALUE_LENGTH);
    }

    // --- bearer -----------------------------------------------------------------------------------

    @Test
    void bearer_rendersTokenWithScheme() {
        assertThat(render(Credential.ofToken(CANARY), AuthMode.BEARER)).isEqualTo("Bearer " + CANARY);
    }

    @Test
    void bearer_stripsSurroundingSpaces() {
        assertThat(render(Credential.ofToken("  " + CANARY + " "), AuthMode.BEARER)).isEqualTo("Bearer " + CANARY);
    }

    @Test
    void bearer_prefersTokenWhenUserPasswordAlsoPresent() {
        Credential c = new Credential(Optional.of("t0k"), Optional.of("alice"), Optional.of(CANARY));
        assertThat(render(c, AuthMode.BEARER)).isEqualTo("Bearer t0k");
    }

    @Test
    void bearer_withOnlyUsernamePassword_saysToSetBasicMode() {
        assertMalformed(() -> render(Credential.ofUserPassword("alice", CANARY), AuthMode.BEARER),
                "holds a username and password", MODE_VAR + " is bearer", "set " + MODE_VAR + "=basic");
    }

    @Test
    void bearer_hintNamesTheProvidersOwnModeVariable() {
        assertThatThrownBy(() -> HeaderRenderer.render(Credential.ofUserPassword("u", CANARY), AuthMode.BEARER,
                "MLFLOW_AWS_AUTH_MODE", "aws-secrets-manager:mlflow/auth"))
                .isInstanceOf(MalformedSecretException.class)
                .hasMessageContaining("set MLFLOW_AWS_AUTH_MODE=basic")
                .hasMessageContaining("aws-secrets-manager:mlflow/auth")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void bearer_fromJwtLikeSecretFile_matchesTheFaqShape() {
        String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.sig";
        Credential c = CredentialParser.parse(SecretValue.ofText(jwt + "\n", LOC, null));
        assertThat(render(c, AuthMode.BEARER)).isEqualTo("Bearer " + jwt);
    }

    // --- raw --------------------------------------------------------------------------------------

    @Test
    void raw_rendersBareToken() {
        assertThat(render(Credential.ofToken(CANARY), AuthMode.RAW)).isEqualTo(CANARY);
    }

    @Test
    void raw_stripsSurroundingSpaces() {
        assertThat(render(Credential.ofToken(" " + CANARY + " "), AuthMode.RAW)).isEqualTo(CANARY);
    }

    @Test
    void raw_withOnlyUsernamePassword_saysToSetBasicMode() {
        assertMalformed(() -> render(Credential.ofUserPassword("alice", CANARY), AuthMode.RAW),
                MODE_VAR + " is raw", "set " + MODE_VAR + "=basic");
    }

    // --- basic ------------------------------------------------------------------------------------

    @Test
    void basic_isBase64OfUserColonPassword() {
        String v = render(Credential.ofUserPassword("alice", CANARY), AuthMode.BASIC);
        assertThat(v).isEqualTo("Basic " + Base64.getEncoder().encodeToString(("alice:" + CANARY).getBytes(StandardCharsets.UTF_8)));
        assertThat(decodeBasic(v)).isEqualTo("alice:" + CANARY);
    }

    @Test
    void basic_seedDemoCredentials() {
        assertThat(render(Credential.ofUserPassword("admin", "password123"), AuthMode.BASIC))
                .isEqualTo("Basic YWRtaW46cGFzc3dvcmQxMjM=");
    }

    @Test
    void basic_tokenOfFormUserPass_isSplitAtFirstColon() {
        String v = render(Credential.ofToken("alice:pa:ss:" + CANARY), AuthMode.BASIC);
        assertThat(decodeBasic(v)).isEqualTo("alice:pa:ss:" + CANARY);
    }

    @Test
    void basic_fromBareTextSecret() {
        Credential c = CredentialParser.parse(SecretValue.ofText("alice:" + CANARY + "\n", LOC, null));
        assertThat(decodeBasic(render(c, AuthMode.BASIC))).isEqualTo("alice:" + CANARY);
    }

    @Test
    void basic_tokenWithEmptyPassword_isAllowed() {
        assertThat(decodeBasic(render(Credential.ofToken("alice:"), AuthMode.BASIC))).isEqualTo("alice:");
    }

    @Test
    void basic_prefersUsernamePasswordOverToken() {
        Credential c = new Credential(Optional.of("x:y"), Optional.of("alice"), Optional.of(CANARY));
        assertThat(decodeBasic(render(c, AuthMode.BASIC))).isEqualTo("alice:" + CANARY);
    }

    @Test
    void basic_nonAsciiPassword_isEncodedAsUtf8() {
        String v = render(Credential.ofUserPassword("jürgen", "pässwörd"), AuthMode.BASIC);
        assertThat(Base64.getDecoder().decode(v.substring(6))).isEqualTo("jürgen:pässwörd".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basic_tokenWithoutColon_isMalformedWithHints() {
        assertMalformed(() -> render(Credential.ofToken(CANARY.replace("-", "")), AuthMode.BASIC),
                "without a colon", MODE_VAR + " is basic", "\"user:pass\"", "set " + MODE_VAR + "=bearer");
        assertMalformed(() -> render(Credential.ofToken(CANARY), AuthMode.BASIC), "set " + MODE_VAR + "=bearer");
    }

    @Test
    void basic_tokenWithEmptyUsername_isMalformed_sayingTheUsernameIsEmpty() {
        assertMalformed(() -> render(Credential.ofToken(":" + CANARY), AuthMode.BASIC),
                "the \"user:pass\" string has an empty username");
        assertThatThrownBy(() -> render(Credential.ofToken(":" + CANARY), AuthMode.BASIC))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("without a colon"));
    }

    @Test
    void basic_tokenThatIsOnlyAColon_isMalformed_sayingTheUsernameIsEmpty() {
        assertMalformed(() -> render(Credential.ofToken(":"), AuthMode.BASIC), "has an empty username");
        assertMalformed(() -> render(Credential.ofToken("::" + CANARY), AuthMode.BASIC), "has an empty username");
    }

    @Test
    void basic_usernameWithColon_isMalformed() {
        assertMalformed(() -> render(Credential.ofUserPassword("ali:ce", CANARY), AuthMode.BASIC), "username contains a colon");
    }

    // --- header injection -------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\r\n", "\u0000", "\t", "\u001b", "\u007f", "\u0008"})
    void controlCharacterInToken_isRejectedInBearerAndRaw(String ctl) {
        Credential c = Credential.ofToken(CANARY + ctl + "X-Injected: 1");
        assertMalformed(() -> render(c, AuthMode.BEARER), "the token contains a control character");
        assertMalformed(() -> render(c, AuthMode.RAW), "the token contains a control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\u0000", "\u007f"})
    void controlCharacterAtEndOfToken_isRejected(String ctl) {
        assertMalformed(() -> render(Credential.ofToken(CANARY + ctl), AuthMode.BEARER), "control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\u0000", "\t", "\u007f"})
    void controlCharacterInPassword_isRejected(String ctl) {
        assertMalformed(() -> render(Credential.ofUserPassword("alice", CANARY + ctl + "x"), AuthMode.BASIC),
                "the password contains a control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\u0000", "\u007f"})
    void controlCharacterInUsername_isRejected(String ctl) {
        assertMalformed(() -> render(Credential.ofUserPassword("ali" + ctl + "ce", CANARY), AuthMode.BASIC),
                "the username contains a control character");
    }

    @Test
    void controlCharacterInUserPassToken_isRejectedInBasic() {
        assertMalformed(() -> render(Credential.ofToken("alice:" + CANARY + "\r\nX: y"), AuthMode.BASIC),
                "the password contains a control character");
        assertMalformed(() -> render(Credential.ofToken("al\nice:" + CANARY), AuthMode.BASIC),
                "the username contains a control character");
    }

    @ParameterizedTest
    @EnumSource(AuthMode.class)
    void injectionAttempt_neverReachesAHeaderValue(AuthMode mode) {
        Credential c = new Credential(Optional.of("t:k\r\nSet-Cookie: a=b"), Optional.of("u"), Optional.of("p\r\nX: y"));
        assertThatThrownBy(() -> render(c, mode)).isInstanceOf(MalformedSecretException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"é", "ü", "\u0085", "\u00a0", "\u2028", "😀"})
    void nonAsciiToken_isRejectedInBearerAndRaw(String ch) {
        Credential c = Credential.ofToken(CANARY + ch + "x");
        assertMalformed(() -> render(c, AuthMode.BEARER), "non-ASCII");
        assertMalformed(() -> render(c, AuthMode.RAW), "non-ASCII");
    }

    @Test
    void trailingUnicodeWhitespace_isStrippedLikeAsciiSpace() {
        assertThat(render(Credential.ofToken(CANARY + "\u2028"), AuthMode.BEARER)).isEqualTo("Bearer " + CANARY);
    }

    @Test
    void blankToken_isRejected() {
        assertMalformed(() -> render(Credential.ofToken("   "), AuthMode.BEARER), "the token is blank");
        assertMalformed(() -> render(Credential.ofToken(" "), AuthMode.RAW), "the token is blank");
    }

    @Test
    void printableAsciiToken_isAccepted() {
        StringBuilder all = new StringBuilder();
        for (char ch = 0x21; ch <= 0x7E; ch++) {
            all.append(ch);
        }
        assertThat(render(Credential.ofToken(all.toString()), AuthMode.BEARER)).isEqualTo("Bearer " + all);
    }
}
