package io.github.mlflowsecretsauth.secret;

import io.github.mlflowsecretsauth.error.MalformedSecretException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialParserTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final String LOC = "vault:secret/mlflow/auth";

    private static Credential text(String s) {
        return CredentialParser.parse(SecretValue.ofText(s, LOC, "3"));
    }

    private static Credential bytes(byte[] b) {
        return CredentialParser.parse(SecretValue.ofBytes(b, LOC, null));
    }

    private static Credential fields(Map<String, ?> f) {
        return CredentialParser.parse(SecretValue.ofFields(f, LOC, "1"));
    }

    private static void assertMalformed(Runnable r, String... fragments) {
        assertThatThrownBy(r::run)
                .isInstanceOf(MalformedSecretException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .contains("the secret at " + LOC)
                        .contains(fragments)
                        .doesNotContain(CANARY)
                        .doesNotContain("\n"));
    }

    @Test
    void jsonFollowedByTrailingContent_isMalformed_notSilentlyTruncated() {
        assertMalformed(() -> text("{\"token\":\"" + CANARY + "\"} trailing"), "not valid JSON");
        assertMalformed(() -> text("{\"a\":1}{\"token\":\"" + CANARY + "\"}"), "not valid JSON");
    }

    @Test
    void unknownKeys_areListedOnlyWhenTheyLookLikeFieldNames() {
        assertMalformed(() -> fields(Map.of(CANARY + "-used-as-a-key", "x", "user", "u")), "[user, 1 key not shown]");
    }

    // --- text -------------------------------------------------------------------------------------

    @Test
    void bareText_isToken() {
        assertThat(text(CANARY)).isEqualTo(Credential.ofToken(CANARY));
    }

    @Test
    void bareText_trailingNewlineIsStripped() {
        assertThat(text(CANARY + "\n").token()).contains(CANARY);
        assertThat(text(CANARY + "\r\n").token()).contains(CANARY);
        assertThat(text("  " + CANARY + " \t\n").token()).contains(CANARY);
    }

    @Test
    void bareText_userColonPass_isKeptAsTokenForTheRendererToSplit() {
        Credential c = text("alice:" + CANARY);
        assertThat(c.token()).contains("alice:" + CANARY);
        assertThat(c.username()).isEmpty();
    }

    @Test
    void bareText_numberOrLiteral_isToken() {
        assertThat(text("12345").token()).contains("12345");
        assertThat(text("true").token()).contains("true");
    }

    @Test
    void jsonToken_isToken() {
        Credential c = text("{\"token\": \"" + CANARY + "\"}");
        assertThat(c.token()).contains(CANARY);
        assertThat(c.hasUserPassword()).isFalse();
    }

    @Test
    void jsonUsernamePassword_isUserPassword() {
        Credential c = text("{\"username\": \"alice\", \"password\": \"" + CANARY + "\"}");
        assertThat(c).isEqualTo(Credential.ofUserPassword("alice", CANARY));
        assertThat(c.hasUserPassword()).isTrue();
        assertThat(c.token()).isEmpty();
    }

    @Test
    void jsonWithAllThree_keepsAll() {
        Credential c = text("{\"token\":\"t0k\",\"username\":\"u\",\"password\":\"p\"}");
        assertThat(c.token()).contains("t0k");
        assertThat(c.username()).contains("u");
        assertThat(c.password()).contains("p");
    }

    @Test
    void json_extraFieldsAreIgnored() {
        Credential c = text("{\"token\":\"t0k\",\"comment\":\"rotated weekly\",\"ttl\":300}");
        assertThat(c).isEqualTo(Credential.ofToken("t0k"));
    }

    @Test
    void json_prettyPrintedMultiLineText_isParsed() {
        Credential c = text("{\n  \"username\": \"alice\",\n  \"password\": \"" + CANARY + "\"\n}\n");
        assertThat(c).isEqualTo(Credential.ofUserPassword("alice", CANARY));
    }

    @Test
    void json_surroundingWhitespace_isAllowed() {
        assertThat(text("  \n{\"token\":\"t0k\"}\n").token()).contains("t0k");
    }

    @Test
    void jsonString_isUnwrappedToToken() {
        assertThat(text("\"" + CANARY + "\"").token()).contains(CANARY);
    }

    @Test
    void jsonStringHoldingJsonObject_isParsedAsObject() {
        Credential c = text("\"{\\\"username\\\":\\\"alice\\\",\\\"password\\\":\\\"pw\\\"}\"");
        assertThat(c).isEqualTo(Credential.ofUserPassword("alice", "pw"));
    }

    @Test
    void textStartingWithQuoteButNotJson_isKeptAsBareToken() {
        assertThat(text("\"" + CANARY).token()).contains("\"" + CANARY);
    }

    @Test
    void emptyText_isMalformedNamingLocation() {
        assertMalformed(() -> text(""), "is empty");
        assertMalformed(() -> text("  \n\t "), "is empty");
    }

    @Test
    void jsonEmptyString_isMalformed() {
        assertMalformed(() -> text("\"\""), "is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"" + CANARY + "\"]", "[1, 2]", "\"[\\\"" + CANARY + "\\\"]\""})
    void jsonThatIsNotAnObject_isMalformed(String json) {
        assertMalformed(() -> text(json), "is a JSON array", "expected an object with \"token\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"token\": \"" + CANARY + "\"", "{token: " + CANARY + "}", "{\"token\": \"" + CANARY + "\",}",
            "[\"" + CANARY + "\""})
    void invalidJson_isMalformedWithoutEchoingInput(String json) {
        assertMalformed(() -> text(json), "not valid JSON");
    }

    @Test
    void jsonObjectWithoutKnownFields_isMalformedListingFieldNamesOnly() {
        assertMalformed(() -> text("{\"tok\": \"" + CANARY + "\", \"pass\": \"" + CANARY + "\"}"),
                "has no \"token\" and no \"username\"/\"password\"", "tok", "pass");
    }

    @Test
    void emptyJsonObject_isMalformed() {
        assertMalformed(() -> text("{}"), "has no \"token\"");
    }

    @Test
    void usernameWithoutPassword_isMalformed() {
        assertMalformed(() -> text("{\"username\": \"" + CANARY + "\"}"), "has \"username\" but no \"password\"");
    }

    @Test
    void passwordWithoutUsername_isMalformed() {
        assertMalformed(() -> text("{\"password\": \"" + CANARY + "\"}"), "has \"password\" but no \"username\"");
    }

    @Test
    void tokenWithOnlyUsername_isStillMalformed() {
        assertMalformed(() -> text("{\"token\": \"" + CANARY + "\", \"username\": \"u\"}"), "but no \"password\"");
    }

    @Test
    void nonStringField_isMalformedNamingFieldAndType() {
        assertMalformed(() -> text("{\"token\": 42}"), "field \"token\" must be a string, not a number");
        assertMalformed(() -> text("{\"token\": {\"v\": \"" + CANARY + "\"}}"), "field \"token\" must be a string, not an object");
        assertMalformed(() -> text("{\"password\": [\"" + CANARY + "\"], \"username\": \"u\"}"),
                "field \"password\" must be a string, not a list");
        assertMalformed(() -> text("{\"token\": true}"), "field \"token\" must be a string, not a boolean");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "-7", "4.25", "1e3", "12345678901234567890123", "0.000001"})
    void numericField_saysANumber_notAJavaTypeName(String number) {
        assertMalformed(() -> text("{\"token\": " + number + "}"), "field \"token\" must be a string, not a number");
        assertThatThrownBy(() -> text("{\"password\": " + number + ", \"username\": \"u\"}"))
                .isInstanceOf(MalformedSecretException.class)
                .hasMessageEndingWith("field \"password\" must be a string, not a number")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("integer").doesNotContain("double")
                        .doesNotContain("biginteger").doesNotContain("bigdecimal").doesNotContain(number));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void booleanField_saysABoolean(String b) {
        assertMalformed(() -> text("{\"username\": " + b + ", \"password\": \"" + CANARY + "\"}"),
                "field \"username\" must be a string, not a boolean");
    }

    @Test
    void emptyStringField_isMalformed() {
        assertMalformed(() -> text("{\"token\": \"\"}"), "field \"token\" is empty");
        assertMalformed(() -> text("{\"username\": \"u\", \"password\": \"\"}"), "field \"password\" is empty");
    }

    @Test
    void nullField_countsAsAbsent() {
        assertThat(text("{\"token\": \"t0k\", \"username\": null}")).isEqualTo(Credential.ofToken("t0k"));
    }

    // --- named fields (Vault KV data) -------------------------------------------------------------

    @Test
    void fields_tokenAndUserPassword() {
        assertThat(fields(Map.of("token", CANARY))).isEqualTo(Credential.ofToken(CANARY));
        assertThat(fields(Map.of("username", "alice", "password", CANARY))).isEqualTo(Credential.ofUserPassword("alice", CANARY));
    }

    @Test
    void fields_valuesAreNotStripped() {
        assertThat(fields(Map.of("token", " t0k ")).token()).contains(" t0k ");
    }

    @Test
    void fields_nonStringValue_isMalformed() {
        assertMalformed(() -> fields(Map.of("token", List.of(CANARY))), "field \"token\" must be a string, not a list");
        assertMalformed(() -> fields(Map.of("token", Map.of("x", CANARY))), "not an object");
        assertMalformed(() -> fields(Map.of("token", 7)), "field \"token\" must be a string, not a number");
        assertMalformed(() -> fields(Map.of("token", 7L)), "field \"token\" must be a string, not a number");
        assertMalformed(() -> fields(Map.of("token", 7.5d)), "field \"token\" must be a string, not a number");
        assertMalformed(() -> fields(Map.of("token", new java.math.BigDecimal("7.5"))), "must be a string, not a number");
        assertMalformed(() -> fields(Map.of("token", Boolean.TRUE)), "field \"token\" must be a string, not a boolean");
        assertMalformed(() -> fields(Map.of("username", "u", "password", false)),
                "field \"password\" must be a string, not a boolean");
    }

    @Test
    void fields_withoutKnownKeys_isMalformedNamingKeys() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("api_key", CANARY);
        assertMalformed(() -> fields(f), "api_key");
    }

    // --- bytes (binary secrets) -------------------------------------------------------------------

    @Test
    void utf8Bytes_bareToken_isParsedAsText() {
        assertThat(bytes((CANARY + "\n").getBytes(StandardCharsets.UTF_8)).token()).contains(CANARY);
    }

    @Test
    void utf8Bytes_jsonObject_isParsedAsText() {
        byte[] b = ("{\"username\":\"alice\",\"password\":\"" + CANARY + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(bytes(b)).isEqualTo(Credential.ofUserPassword("alice", CANARY));
    }

    @Test
    void utf8Bytes_nonAsciiText_isParsedAsText() {
        assertThat(bytes("grüße-tökén".getBytes(StandardCharsets.UTF_8)).token()).contains("grüße-tökén");
    }

    @Test
    void utf8Bytes_prettyPrintedJson_isParsedAsText() {
        byte[] b = ("{\n  \"username\": \"alice\",\n  \"password\": \"" + CANARY + "\"\n}\n").getBytes(StandardCharsets.UTF_8);
        assertThat(bytes(b)).isEqualTo(Credential.ofUserPassword("alice", CANARY));
    }

    @Test
    void utf8Bytes_prettyPrintedJsonWithTabsAndCrLf_isParsedAsText() {
        byte[] b = ("{\r\n\t\"token\":\t\"" + CANARY + "\"\r\n}\r\n").getBytes(StandardCharsets.UTF_8);
        assertThat(bytes(b)).isEqualTo(Credential.ofToken(CANARY));
    }

    @Test
    void utf8Bytes_multiLineJsonThatIsInvalid_isMalformedNotABase64Token() {
        byte[] b = ("{\n  \"token\": \"" + CANARY + "\"\n").getBytes(StandardCharsets.UTF_8);
        assertMalformed(() -> bytes(b), "not valid JSON");
    }

    @Test
    void utf8Bytes_multiLineJsonWithANulByte_staysBinary() {
        byte[] b = ("{\n  \"token\": \"" + CANARY + "\u0000\"\n}").getBytes(StandardCharsets.UTF_8);
        assertThat(bytes(b).token()).contains(Base64.getEncoder().encodeToString(b));
    }

    @Test
    void nonUtf8Bytes_becomeBase64Token() {
        byte[] b = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x80, 0x41, (byte) 0xc3};
        Credential c = bytes(b);
        assertThat(c.token()).contains(Base64.getEncoder().encodeToString(b));
        assertThat(c.token().get()).isEqualTo("//4AgEHD");
    }

    @Test
    void utf8BytesWithControlCharacters_areTreatedAsBinary() {
        byte[] b = {0x01, 0x02, 0x03, 0x41, 0x00};
        assertThat(bytes(b).token()).contains(Base64.getEncoder().encodeToString(b));
    }

    @Test
    void utf8BytesWithSeparatorControlCharacters_areTreatedAsBinary() {
        byte[] b = {0x1C, 0x41};
        assertThat(bytes(b).token()).contains(Base64.getEncoder().encodeToString(b));
        byte[] c = {0x41, 0x1F, 0x42};
        assertThat(bytes(c).token()).contains(Base64.getEncoder().encodeToString(c));
    }

    @Test
    void binaryToken_base64RoundTripsToTheOriginalBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        assertThat(Base64.getDecoder().decode(bytes(b).token().orElseThrow())).isEqualTo(b);
    }

    @Test
    void emptyBytes_isMalformed() {
        assertMalformed(() -> bytes(new byte[0]), "is empty");
    }

    @Test
    void whitespaceOnlyBytes_isMalformed() {
        assertMalformed(() -> bytes(" \n ".getBytes(StandardCharsets.UTF_8)), "is empty");
    }

    @Test
    void utf8Bytes_invalidJson_isMalformedWithoutValue() {
        assertMalformed(() -> bytes(("{\"token\":\"" + CANARY).getBytes(StandardCharsets.UTF_8)), "not valid JSON");
    }

    // --- no values in toString --------------------------------------------------------------------

    @Test
    void credentialToString_showsWhichPartsArePresentButNoValues() {
        assertThat(Credential.ofToken(CANARY).toString())
                .isEqualTo("Credential{token=<set>, username=<none>, password=<none>}");
        assertThat(Credential.ofUserPassword(CANARY, CANARY).toString())
                .isEqualTo("Credential{token=<none>, username=<set>, password=<set>}");
        assertThat(new Credential(Optional.of(CANARY), Optional.of(CANARY), Optional.of(CANARY)).toString())
                .doesNotContain(CANARY);
    }

    @Test
    void secretValueToString_showsKindAndLocationButNoValues() {
        assertThat(SecretValue.ofText(CANARY, LOC, "3").toString()).doesNotContain(CANARY).contains("text", LOC, "version=3");
        assertThat(SecretValue.ofFields(Map.of("password", CANARY), LOC, null).toString())
                .doesNotContain(CANARY).contains("password", LOC);
        assertThat(SecretValue.ofBytes(CANARY.getBytes(StandardCharsets.UTF_8), LOC, null).toString())
                .doesNotContain(CANARY).contains("bytes");
    }

    @Test
    void secretValueBytes_areDefensivelyCopied() {
        byte[] b = CANARY.getBytes(StandardCharsets.UTF_8);
        SecretValue v = SecretValue.ofBytes(b, LOC, null);
        b[0] = 'X';
        v.bytes().orElseThrow()[1] = 'Y';
        assertThat(bytes(v.bytes().orElseThrow()).token()).contains(CANARY);
    }
}
