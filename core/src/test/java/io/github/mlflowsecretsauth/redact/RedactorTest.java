package io.github.mlflowsecretsauth.redact;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    /** 20 characters: below {@link Redactor#MIN_PARTIAL_LENGTH}, so it is always masked as all stars. */
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    /** 30 characters: long enough for the partial form, which shows its first and last four characters. */
    private static final String LONG_CANARY = CANARY + "-9x8y7z0w";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.cCI6";

    // --- mask -------------------------------------------------------------------------------------

    @Test
    void mask_longValue_keepsFirstAndLastFourAroundEightStars_asInTheFaq() {
        assertThat(Redactor.mask("eyJhbGciOiJIUzI1NiIsInR5cCI6")).isEqualTo("eyJh********cCI6");
        assertThat(Redactor.mask(JWT)).isEqualTo("eyJh********cCI6");
        assertThat(Redactor.mask(LONG_CANARY)).isEqualTo("CANA********7z0w");
    }

    @Test
    void mask_twentyCharacterSecret_isAllStars() {
        assertThat(CANARY).hasSize(20);
        assertThat(Redactor.mask(CANARY)).isEqualTo("********").doesNotContain("CANA").doesNotContain("2a9c");
    }

    @Test
    void mask_lengthOfStarsDoesNotRevealLength() {
        assertThat(Redactor.mask("a".repeat(1))).hasSize(8);
        assertThat(Redactor.mask("a".repeat(23))).hasSize(8);
        assertThat(Redactor.mask("a".repeat(24))).hasSize(16);
        assertThat(Redactor.mask("a".repeat(500))).hasSize(16);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 8, 9, 15, 16, 17, 20, 23})
    void mask_shortValue_isAllStars(int length) {
        String v = "abcdefghijklmnopqrstuvwxyz".substring(0, length);
        assertThat(Redactor.mask(v)).isEqualTo("********");
    }

    @Test
    void mask_justBelowThreshold_isAllStars() {
        assertThat(Redactor.MIN_PARTIAL_LENGTH).isEqualTo(24);
        assertThat(Redactor.mask("0123456789abcdefghijklm")).isEqualTo("********");
    }

    @Test
    void mask_atThreshold_showsEnds() {
        assertThat(Redactor.MIN_PARTIAL_LENGTH).isEqualTo(24);
        assertThat(Redactor.mask("0123456789abcdefghijklmn")).isEqualTo("0123********klmn");
    }

    @Test
    void mask_atThreshold_showsAtMostAThirdOfTheValue() {
        String v = "0123456789abcdefghijklmn";
        String masked = Redactor.mask(v);
        assertThat(masked.replace("*", "")).hasSize(8);
        assertThat(v.length()).isGreaterThanOrEqualTo(3 * 8);
    }

    @Test
    void mask_neverReturnsTheValue() {
        for (int n = 0; n <= 40; n++) {
            String v = CANARY.repeat(2).substring(0, n);
            assertThat(Redactor.mask(v)).as("length %d", n).doesNotContain(v.isEmpty() ? "x" : v);
        }
    }

    @Test
    void mask_null_isNone() {
        assertThat(Redactor.mask(null)).isEqualTo("<none>");
    }

    // --- maskHeaderValue --------------------------------------------------------------------------

    @Test
    void maskHeaderValue_keepsBearerScheme() {
        assertThat(Redactor.maskHeaderValue("Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6")).isEqualTo("Bearer eyJh********cCI6");
    }

    @Test
    void maskHeaderValue_keepsBasicSchemeAndHidesShortCredential() {
        assertThat(Redactor.maskHeaderValue("Basic YWRtaW46cGFz")).isEqualTo("Basic ********");
        assertThat(Redactor.maskHeaderValue("Basic YWRtaW46cGFzc3dvcmQxMjM=")).isEqualTo("Basic YWRt********MjM=");
    }

    @Test
    void maskHeaderValue_keepsBearerScheme_andHidesShortToken() {
        assertThat(Redactor.maskHeaderValue("Bearer " + CANARY)).isEqualTo("Bearer ********");
        assertThat(Redactor.maskHeaderValue("Bearer " + LONG_CANARY)).isEqualTo("Bearer CANA********7z0w");
    }

    @Test
    void maskHeaderValue_withoutScheme_masksWhole() {
        assertThat(Redactor.maskHeaderValue(LONG_CANARY)).isEqualTo("CANA********7z0w");
        assertThat(Redactor.maskHeaderValue(CANARY)).isEqualTo("********");
        assertThat(Redactor.maskHeaderValue("k3y")).isEqualTo("********");
    }

    @Test
    void maskHeaderValue_prefixThatIsNotAScheme_masksWhole() {
        assertThat(Redactor.maskHeaderValue("abc1 " + CANARY)).isEqualTo("abc1********2a9c");
        assertThat(Redactor.maskHeaderValue("VeryLongSchemeName " + CANARY)).isEqualTo("Very********2a9c");
        assertThat(Redactor.maskHeaderValue(" " + LONG_CANARY)).isEqualTo(" CAN********7z0w");
        assertThat(Redactor.maskHeaderValue(" " + CANARY)).isEqualTo("********");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "bearer", "BEARER", "Basic", "basic", "Token", "token", "Digest", "DIGEST",
            "AWS4-HMAC-SHA256", "aws4-hmac-sha256"})
    void maskHeaderValue_knownSchemes_stayVisibleInAnyCase(String scheme) {
        assertThat(Redactor.maskHeaderValue(scheme + " " + LONG_CANARY)).isEqualTo(scheme + " CANA********7z0w");
        assertThat(Redactor.maskHeaderValue(scheme + " " + CANARY)).isEqualTo(scheme + " ********");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Secret", "Hunter", "ApiKey", "Negotiate", "NTLM", "Bearerx", "Bear", "pass"})
    void maskHeaderValue_unknownFirstWord_isMaskedWithTheRest(String word) {
        // a first word made of letters may be a password (a "user:pass" split on a space, say): it is not shown
        String short1 = word + " " + "abc";
        assertThat(Redactor.maskHeaderValue(short1)).isEqualTo("********");
        String long1 = word + " " + LONG_CANARY;
        assertThat(Redactor.maskHeaderValue(long1)).isEqualTo(Redactor.mask(long1)).doesNotContain(word + " ")
                .endsWith("7z0w");
    }

    @Test
    void maskHeaderValue_secretThatLooksLikeAWord_isNotShown() {
        String secretWord = "Tr0ub4dor";
        assertThat(Redactor.maskHeaderValue(secretWord + " rest")).isEqualTo("********").doesNotContain(secretWord);
        assertThat(Redactor.maskHeaderValue("Hunterhunter twentyfourchars"))
                .isEqualTo("Hunt********hars")
                .doesNotContain("Hunterhunter");
    }

    @Test
    void maskHeaderValue_schemeWithoutCredential_isMaskedWhole() {
        assertThat(Redactor.maskHeaderValue("Bearer")).isEqualTo("********");
        assertThat(Redactor.maskHeaderValue("Bearer ")).isEqualTo("Bearer ********");
    }

    @Test
    void maskHeaderValue_null_isNone() {
        assertThat(Redactor.maskHeaderValue(null)).isEqualTo("<none>");
    }

    @Test
    void maskHeaderValue_neverContainsTheCredential() {
        assertThat(Redactor.maskHeaderValue("Bearer " + CANARY)).doesNotContain(CANARY);
        assertThat(Redactor.maskHeaderValue("Bearer " + LONG_CANARY)).doesNotContain(CANARY).doesNotContain(LONG_CANARY);
        assertThat(Redactor.maskHeaderValue("Token " + CANARY)).isEqualTo("Token ********");
        assertThat(Redactor.maskHeaderValue("Token " + LONG_CANARY)).isEqualTo("Token CANA********7z0w");
        for (int n = 0; n <= 40; n++) {
            String v = LONG_CANARY.repeat(2).substring(0, n);
            assertThat(Redactor.maskHeaderValue("Bearer " + v)).as("length %d", n).doesNotContain(v.isEmpty() ? "x" : v);
            assertThat(Redactor.maskHeaderValue("Other " + v)).as("length %d", n).doesNotContain(v.isEmpty() ? "x" : v);
        }
    }

    // --- scrub ------------------------------------------------------------------------------------

    @Test
    void scrub_replacesEveryOccurrenceWithMaskedForm() {
        String text = "Secret: {\"token\": \"" + LONG_CANARY + "\"} and again " + LONG_CANARY;
        String out = Redactor.scrub(text, List.of(LONG_CANARY));
        assertThat(out).doesNotContain(LONG_CANARY).doesNotContain(CANARY)
                .isEqualTo("Secret: {\"token\": \"CANA********7z0w\"} and again CANA********7z0w");
    }

    @Test
    void scrub_shortSecret_becomesAllStars() {
        String out = Redactor.scrub("token=" + CANARY + " again " + CANARY, List.of(CANARY));
        assertThat(out).doesNotContain(CANARY).isEqualTo("token=******** again ********");
    }

    @Test
    void scrub_handlesSeveralSecrets() {
        String out = Redactor.scrub("user=alice pass=secret123 token=" + LONG_CANARY + " key=" + CANARY,
                List.of("secret123", LONG_CANARY, CANARY));
        assertThat(out).doesNotContain(CANARY).isEqualTo("user=alice pass=******** token=CANA********7z0w key=********");
    }

    @Test
    void scrub_leavesTextWithoutSecretsUnchanged() {
        assertThat(Redactor.scrub("nothing to see", List.of(CANARY))).isEqualTo("nothing to see");
        assertThat(Redactor.scrub("nothing to see", List.of())).isEqualTo("nothing to see");
    }

    @Test
    void scrub_ignoresNullAndVeryShortSecrets() {
        assertThat(Redactor.scrub("a ab abc abcd", Arrays.asList(null, "a", "ab", "abc"))).isEqualTo("a ab abc abcd");
        assertThat(Redactor.scrub("a ab abc abcd", List.of("abcd"))).isEqualTo("a ab abc ********");
    }

    @Test
    void scrub_nullText_isNull() {
        assertThat(Redactor.scrub(null, List.of(CANARY))).isNull();
    }

    // --- oneLine ----------------------------------------------------------------------------------

    @Test
    void oneLine_replacesControlCharactersWithSpaces() {
        assertThat(Redactor.oneLine("permission\r\ndenied\tnow\u0000!", 100)).isEqualTo("permission  denied now !");
    }

    @Test
    void oneLine_cutsLongTextAndMarksIt() {
        assertThat(Redactor.oneLine("abcdefghij", 4)).isEqualTo("abcd...");
        assertThat(Redactor.oneLine("abcd", 4)).isEqualTo("abcd");
    }

    @Test
    void oneLine_trimsSurroundingWhitespace() {
        assertThat(Redactor.oneLine("\n  error  \n", 100)).isEqualTo("error");
    }

    @Test
    void oneLine_null_isEmpty() {
        assertThat(Redactor.oneLine(null, 10)).isEmpty();
    }

    @Test
    void oneLine_outputHasNoLineBreaks() {
        assertThat(Redactor.oneLine("a\nb\rc\u2028", 100)).doesNotContain("\n").doesNotContain("\r");
    }
}
