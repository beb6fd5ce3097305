package io.github.mlflowsecretsauth.config;

import io.github.mlflowsecretsauth.internal.ConfigValues;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigValuesTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final String TTL = "MLFLOW_VAULT_TTL_SEC";
    private static final String URL = "VAULT_ADDR";

    private static Settings with(String name, String value) {
        // the canary sits in another variable: no error about `name` may mention it
        return Settings.builder().set("VAULT_TOKEN", CANARY).set(name, value).build();
    }

    private static Settings empty() {
        return Settings.builder().set("VAULT_TOKEN", CANARY).build();
    }

    @Test
    void required_returnsTheValue() {
        assertThat(ConfigValues.required(with(URL, "http://v"), URL, "hint")).isEqualTo("http://v");
    }

    @Test
    void required_missing_namesVariableAndHint() {
        assertThatThrownBy(() -> ConfigValues.required(empty(), URL, "set it to your Vault URL"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("VAULT_ADDR is not set: set it to your Vault URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void positiveSeconds_unset_isFallback() {
        assertThat(ConfigValues.positiveSeconds(empty(), TTL, 300)).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void positiveSeconds_parsesWholeSeconds() {
        assertThat(ConfigValues.positiveSeconds(with(TTL, " 45 "), TTL, 300)).isEqualTo(Duration.ofSeconds(45));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5"})
    void positiveSeconds_zeroOrNegative_isErrorNamingVariable(String v) {
        assertThatThrownBy(() -> ConfigValues.positiveSeconds(with(TTL, v), TTL, 300))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(TTL + " must be a positive whole number of seconds")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "5m", "99999999999999999999", "0x10"})
    void positiveSeconds_nonInteger_isErrorNamingVariable(String v) {
        assertThatThrownBy(() -> ConfigValues.positiveSeconds(with(TTL, v), TTL, 300))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(TTL + " must be a whole number of seconds (the value set is not a number)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("'" + v + "'"));
    }

    @Test
    void positiveSeconds_secretPastedIntoTheVariable_isNotEchoed() {
        assertThatThrownBy(() -> ConfigValues.positiveSeconds(with(TTL, CANARY), TTL, 300))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage(TTL + " must be a whole number of seconds (the value set is not a number)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("CANARY"));
    }

    @Test
    void nonNegativeLong_secretPastedIntoTheVariable_isNotEchoed() {
        assertThatThrownBy(() -> ConfigValues.nonNegativeLong(with("N", CANARY), "N", 2, 10, "a whole number"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("N must be a whole number (the value set is not a number)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void nonNegativeLong_acceptsZeroAndMax() {
        assertThat(ConfigValues.nonNegativeLong(with("N", "0"), "N", 2, 10, "a whole number")).isZero();
        assertThat(ConfigValues.nonNegativeLong(with("N", "10"), "N", 2, 10, "a whole number")).isEqualTo(10);
        assertThat(ConfigValues.nonNegativeLong(empty(), "N", 2, 10, "a whole number")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "11"})
    void nonNegativeLong_outOfRange_isErrorWithBounds(String v) {
        assertThatThrownBy(() -> ConfigValues.nonNegativeLong(with("N", v), "N", 2, 10, "a whole number"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("N must be between 0 and 10")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "yes", "Yes", "on", "1"})
    void bool_trueSpellings(String v) {
        assertThat(ConfigValues.bool(with("B", v), "B", false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "no", "NO", "off", "0"})
    void bool_falseSpellings(String v) {
        assertThat(ConfigValues.bool(with("B", v), "B", true)).isFalse();
    }

    @Test
    void bool_unset_isFallback() {
        assertThat(ConfigValues.bool(empty(), "B", true)).isTrue();
        assertThat(ConfigValues.bool(empty(), "B", false)).isFalse();
    }

    @Test
    void bool_invalid_isErrorNamingVariable() {
        assertThatThrownBy(() -> ConfigValues.bool(with("VAULT_SKIP_VERIFY", "maybe"), "VAULT_SKIP_VERIFY", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_SKIP_VERIFY must be true or false")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("maybe"));
    }

    @Test
    void bool_invalid_listsTheAcceptedSpellings() {
        assertThatThrownBy(() -> ConfigValues.bool(with("B", "enable"), "B", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("B must be true or false (also accepted: yes/no, on/off, 1/0)");
    }

    @Test
    void bool_invalidValue_isNotEchoed_becauseItMightBeASecret() {
        String v = "CANARY-" + "x".repeat(40);
        assertThatThrownBy(() -> ConfigValues.bool(with("B", v), "B", false))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("B must be true or false")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("CANARY"));
    }

    @Test
    void toggle_unset_isEmpty_andSetIsItsValue() {
        assertThat(ConfigValues.toggle(empty(), "T")).isEmpty();
        assertThat(ConfigValues.toggle(with("T", "false"), "T")).contains(false);
        assertThat(ConfigValues.toggle(with("T", "on"), "T")).contains(true);
        assertThat(ConfigValues.toggle(with("T", "  "), "T")).isEmpty();
    }

    @Test
    void toggle_invalid_isError() {
        assertThatThrownBy(() -> ConfigValues.toggle(with("T", "enable"), "T"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("T must be true or false")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://vault:8200", "https://vault.company.com", "HTTPS://Vault.Company.com:8443/v1/",
            "http://vault_server:8200", "http://[::1]:8200"})
    void httpUrl_acceptsAbsoluteHttpUrls(String v) {
        URI uri = ConfigValues.httpUrl(with(URL, v), URL);
        assertThat(uri).isEqualTo(URI.create(v));
    }

    @Test
    void httpUrl_unset_isNotSetErrorWithExample() {
        assertThatThrownBy(() -> ConfigValues.httpUrl(empty(), URL))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_ADDR is not set")
                .hasMessageContaining("https://")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://" + CANARY + ".com/", "vault.company.com/" + CANARY, "file:///" + CANARY})
    void httpUrl_nonHttpScheme_isErrorWithoutEchoingValue(String v) {
        assertThatThrownBy(() -> ConfigValues.httpUrl(URL, v))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(URL + " must be an http or https URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void httpUrl_withUserInfo_isErrorWithoutEchoingPassword() {
        assertThatThrownBy(() -> ConfigValues.httpUrl(URL, "https://admin:" + CANARY + "@vault.company.com/"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(URL + " must not carry user info")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("admin"));
    }

    @Test
    void httpUrl_withUserInfo_andUnderscoreHost_isError() {
        assertThatThrownBy(() -> ConfigValues.httpUrl(URL, "https://admin:" + CANARY + "@vault_server:8200/"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(URL + " must not carry user info")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("admin"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "11", "123456"})
    void outOfRangeNumber_isNotEchoed(String v) {
        assertThatThrownBy(() -> ConfigValues.nonNegativeLong(with("N", v), "N", 2, 10, "a whole number"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("N must be between 0 and 10")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("'" + v + "'"));
        assertThatThrownBy(() -> ConfigValues.positiveSeconds(with(TTL, "-" + v.replace("-", "")), TTL, 300))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(v.replace("-", "")));
    }

    @Test
    void httpUrl_unparsable_isErrorWithoutEchoingValue() {
        assertThatThrownBy(() -> ConfigValues.httpUrl(URL, "https://admin:" + CANARY + " @vault/"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(URL + " is not a valid URL")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void httpUrl_withoutHost_isError() {
        assertThatThrownBy(() -> ConfigValues.httpUrl(URL, "http:/" + CANARY))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(URL + " has no host")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void httpUrl_emptyAuthority_isError() {
        assertThatThrownBy(() -> ConfigValues.httpUrl(URL, "http://"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(URL + " ");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"http://mlflow:0x50", "http://mlflow:-1", "https://mlflow:99999/",
            "http://mlflow:0", "http://[::1]:70000"})
    void httpUrl_withAnInvalidPort_isRefusedNamingTheSetting(String url) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigValues.httpUrl("MLFLOW_TRACKING_URI", url))
                .isInstanceOf(io.github.mlflowsecretsauth.error.ConfigurationException.class)
                .hasMessageContaining("MLFLOW_TRACKING_URI has an invalid port");
    }

    @org.junit.jupiter.api.Test
    void httpUrl_withAValidOrEmptyPort_isAccepted() {
        org.assertj.core.api.Assertions.assertThat(ConfigValues.httpUrl("X", "http://mlflow:5000/").getPort()).isEqualTo(5000);
        org.assertj.core.api.Assertions.assertThat(ConfigValues.httpUrl("X", "http://[::1]:65535").getPort()).isEqualTo(65535);
        org.assertj.core.api.Assertions.assertThat(ConfigValues.httpUrl("X", "http://db_server:8080").getRawAuthority()).isEqualTo("db_server:8080");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"\u0661\u0662", "\uff11\uff12", "+12", "1 2", "1_000"})
    void seconds_acceptOnlyAsciiDigits(String raw) {
        Settings s = Settings.builder().set("MLFLOW_VAULT_TTL_SEC", raw).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigValues.positiveSeconds(s, "MLFLOW_VAULT_TTL_SEC", 300))
                .isInstanceOf(io.github.mlflowsecretsauth.error.ConfigurationException.class)
                .hasMessageContaining("MLFLOW_VAULT_TTL_SEC must be a whole number of seconds");
    }

    @org.junit.jupiter.api.Test
    void seconds_beyondAYear_areRefused() {
        Settings s = Settings.builder().set("MLFLOW_VAULT_TTL_SEC", "999999999999999").build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConfigValues.positiveSeconds(s, "MLFLOW_VAULT_TTL_SEC", 300))
                .hasMessageContaining("MLFLOW_VAULT_TTL_SEC must be at most 31536000 seconds");
    }
}
