package io.github.mlflowsecretsauth.config;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class DotEnvTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final String ORIGIN = "/project/.env";

    private static Map<String, String> parse(String text) {
        return DotEnv.parse(text, ORIGIN);
    }

    @Test
    void parse_readsKeyValueLinesInOrder() {
        assertThat(parse("VAULT_ADDR=http://vault:8200\nMLFLOW_VAULT_SECRET_PATH=secret/mlflow/auth\n"))
                .containsExactly(entry("VAULT_ADDR", "http://vault:8200"),
                        entry("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth"));
    }

    @Test
    void parse_skipsBlankLinesAndCommentLines() {
        assertThat(parse("\n# a comment\n   \n  # indented comment\nA=1\n")).containsExactly(entry("A", "1"));
    }

    @Test
    void parse_stripsExportPrefix() {
        assertThat(parse("export VAULT_TOKEN=abc\nexport   B=2")).containsExactly(entry("VAULT_TOKEN", "abc"), entry("B", "2"));
    }

    @Test
    void parse_trimsWhitespaceAroundKeyAndUnquotedValue() {
        assertThat(parse("   KEY   =   value with inner spaces   ")).containsExactly(entry("KEY", "value with inner spaces"));
    }

    @Test
    void parse_unquotedValue_dropsInlineCommentAfterSpaceHash() {
        assertThat(parse("A=value # a comment")).containsExactly(entry("A", "value"));
    }

    @Test
    void parse_unquotedValue_keepsHashWithoutPrecedingSpace() {
        assertThat(parse("A=pa#ss")).containsExactly(entry("A", "pa#ss"));
    }

    @Test
    void parse_valueMayContainEqualsSigns() {
        assertThat(parse("TOKEN=abc==\nURL=https://h/?a=b")).containsExactly(entry("TOKEN", "abc=="), entry("URL", "https://h/?a=b"));
    }

    @Test
    void parse_emptyValue_isEmptyString() {
        assertThat(parse("A=\nB=   ")).containsExactly(entry("A", ""), entry("B", ""));
    }

    @Test
    void parse_singleQuotedValue_isLiteral() {
        assertThat(parse("A='a\\nb $HOME \"q\" # not a comment'")).containsExactly(entry("A", "a\\nb $HOME \"q\" # not a comment"));
    }

    @Test
    void parse_doubleQuotedValue_unescapesNewlineTabCarriageReturnQuoteAndBackslash() {
        assertThat(parse("A=\"l1\\nl2\\tt\\rr \\\"q\\\" back\\\\slash \\x\"")).containsExactly(
                entry("A", "l1\nl2\tt\rr \"q\" back\\slash x"));
    }

    @Test
    void parse_quotedValue_keepsSurroundingSpacesInsideQuotes() {
        assertThat(parse("A=\"  padded  \"\nB='  p  '")).containsExactly(entry("A", "  padded  "), entry("B", "  p  "));
    }

    @Test
    void parse_quotedValue_allowsCommentAfterClosingQuote() {
        assertThat(parse("A=\"v\"   # comment\nB='w' #c")).containsExactly(entry("A", "v"), entry("B", "w"));
    }

    @Test
    void parse_acceptsCrLfLineEndings() {
        assertThat(parse("A=1\r\nB=2\r\n")).containsExactly(entry("A", "1"), entry("B", "2"));
    }

    @Test
    void parse_laterDuplicateKeyWins() {
        assertThat(parse("A=1\nA=2")).containsExactly(entry("A", "2"));
    }

    @Test
    void parse_acceptsKeysWithDotsUnderscoresAndDigits() {
        assertThat(parse("_a.b_1=x\nmlflow.key2=y")).containsOnlyKeys("_a.b_1", "mlflow.key2");
    }

    @Test
    void parse_resultIsUnmodifiable() {
        Map<String, String> m = parse("A=1");
        assertThatThrownBy(() -> m.put("B", "2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void parse_lineWithoutEquals_isErrorNamingOriginAndLineButNotTheText() {
        assertThatThrownBy(() -> parse("A=1\n" + CANARY + "\n"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(ORIGIN + " line 2")
                .hasMessageContaining("expected KEY=VALUE")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void parse_lineStartingWithEquals_isError() {
        assertThatThrownBy(() -> parse("=" + CANARY))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("line 1")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void parse_unclosedDoubleQuote_isErrorNamingKeyButNotValue() {
        assertThatThrownBy(() -> parse("\n\nVAULT_TOKEN=\"" + CANARY))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(ORIGIN + " line 3")
                .hasMessageContaining("VAULT_TOKEN")
                .hasMessageContaining("no closing \"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void parse_unclosedSingleQuote_isError() {
        assertThatThrownBy(() -> parse("VAULT_TOKEN='" + CANARY))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no closing '")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void parse_escapedQuoteDoesNotCloseDoubleQuotedValue() {
        assertThatThrownBy(() -> parse("VAULT_TOKEN=\"" + CANARY + "\\\""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no closing")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void parse_textAfterQuotedValue_isErrorWithoutValue() {
        assertThatThrownBy(() -> parse("VAULT_TOKEN=\"" + CANARY + "\" " + CANARY))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unexpected text after the quoted value of VAULT_TOKEN")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void parse_invalidVariableName_isErrorNamingLineButNotTheName() {
        assertThatThrownBy(() -> parse("1BAD=" + CANARY))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(ORIGIN + " line 1: the text before '=' is not a valid variable name (letters, digits, _)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("1BAD"));
    }

    @Test
    void parse_typoLineWithBase64Padding_doesNotEchoTheSecret() {
        assertThatThrownBy(() -> parse("A=1\nVAULT_TOKEN " + CANARY + "=="))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(ORIGIN + " line 2")
                .hasMessageContaining("the text before '=' is not a valid variable name")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("VAULT_TOKEN"));
    }

    @Test
    void parse_secretBeforeTheFirstEquals_isNotEchoed() {
        assertThatThrownBy(() -> parse("export " + CANARY + "+/x=rest"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("not a valid variable name")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
        assertThatThrownBy(() -> parse("Authorization: Bearer " + CANARY + "=="))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not a valid variable name")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("Bearer"));
    }

    // --- byte-order mark --------------------------------------------------------------------------

    @Test
    void parse_leadingByteOrderMark_isSkipped() {
        assertThat(parse("\uFEFFVAULT_ADDR=http://vault:8200\nB=2")).containsExactly(entry("VAULT_ADDR", "http://vault:8200"),
                entry("B", "2"));
    }

    @Test
    void parse_leadingByteOrderMark_beforeCommentOrExport_isSkipped() {
        assertThat(parse("\uFEFF# written by Notepad\r\nA=1\r\n")).containsExactly(entry("A", "1"));
        assertThat(parse("\uFEFFexport A=1")).containsExactly(entry("A", "1"));
    }

    @Test
    void load_utf8FileWithByteOrderMark_isRead(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(".env");
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = "MLFLOW_TRACKING_URI=http://nginx:80\nNAME=gr\u00fc\u00dfe\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, bytes, 0, bom.length);
        System.arraycopy(body, 0, bytes, bom.length, body.length);
        Files.write(f, bytes);
        Map<String, String> m = DotEnv.load(f);
        assertThat(m).containsExactly(entry("MLFLOW_TRACKING_URI", "http://nginx:80"), entry("NAME", "gr\u00fc\u00dfe"));
        assertThat(m.keySet()).allSatisfy(k -> assertThat(k).doesNotContain("\uFEFF"));
    }

    @Test
    void load_missingFile_isEmpty(@TempDir Path dir) {
        assertThat(DotEnv.load(dir.resolve(".env"))).isEmpty();
    }

    @Test
    void load_directory_isEmpty(@TempDir Path dir) {
        assertThat(DotEnv.load(dir)).isEmpty();
    }

    @Test
    void load_readsUtf8File(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(".env");
        Files.writeString(f, "# comment\nexport MLFLOW_TRACKING_URI=http://nginx:80\nNAME=\"grüße\"\n", StandardCharsets.UTF_8);
        assertThat(DotEnv.load(f)).containsExactly(entry("MLFLOW_TRACKING_URI", "http://nginx:80"), entry("NAME", "grüße"));
    }

    @Test
    void load_nonUtf8File_isErrorNamingTheFileButNotTheContent(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(".env");
        byte[] head = ("VAULT_TOKEN=" + CANARY).getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xff;
        bytes[head.length + 1] = (byte) 0xfe;
        Files.write(f, bytes);
        assertThatThrownBy(() -> DotEnv.load(f))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("not valid UTF-8")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void load_errorsNameTheFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(".env");
        Files.writeString(f, "A=1\nnot a pair\n");
        assertThatThrownBy(() -> DotEnv.load(f))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(f + " line 2");
    }

    @Test
    void load_refusesAFileOverTheCap_withOneLineNamingIt_andNoValue(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(".env");
        Files.writeString(file, "MLFLOW_TRACKING_TOKEN=CANARY" + "x".repeat(DotEnv.MAX_BYTES) + "\n");
        assertThatThrownBy(() -> DotEnv.load(file))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(file + " is larger than 1024 KiB, more than such a file ever holds: check the path");
    }

    @Test
    void load_readsAFileAtTheCap(@TempDir Path dir) throws IOException {
        Path file = dir.resolve(".env");
        String line = "A=1\n";
        Files.writeString(file, "#".repeat(DotEnv.MAX_BYTES - line.length() - 1) + "\n" + line);
        assertThat(DotEnv.load(file)).containsExactly(Map.entry("A", "1"));
    }
}
