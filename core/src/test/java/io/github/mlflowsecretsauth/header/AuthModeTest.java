package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthModeTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final String VAR = "MLFLOW_VAULT_AUTH_MODE";

    @ParameterizedTest
    @CsvSource({"bearer,BEARER", "BEARER,BEARER", "Basic,BASIC", "basic,BASIC", "raw,RAW", "RAW,RAW", "' basic ',BASIC"})
    void parse_isCaseInsensitiveAndTrimmed(String value, AuthMode expected) {
        assertThat(AuthMode.parse(value, VAR)).isEqualTo(expected);
    }

    @Test
    void id_isLowerCaseName() {
        assertThat(AuthMode.BEARER.id()).isEqualTo("bearer");
        assertThat(AuthMode.BASIC.id()).isEqualTo("basic");
        assertThat(AuthMode.RAW.id()).isEqualTo("raw");
    }

    @Test
    void idAndParse_areIndependentOfTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            assertThat(AuthMode.BASIC.id()).isEqualTo("basic");
            assertThat(AuthMode.parse("BASIC", VAR)).isEqualTo(AuthMode.BASIC);
        } finally {
            Locale.setDefault(saved);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"token", "digest", "bearer basic", "", "aws-sigv4"})
    void parse_unsupported_isConfigurationErrorNamingVariableAndChoices(String value) {
        assertThatThrownBy(() -> AuthMode.parse(value, VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + " must be one of bearer, basic, raw");
    }

    @ParameterizedTest
    @ValueSource(strings = {CANARY, "Bearer " + CANARY, CANARY + CANARY})
    void parse_secretPastedIntoModeVariable_isNotEchoed(String value) {
        assertThatThrownBy(() -> AuthMode.parse(value, VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY).doesNotContain("CANARY"));
    }
}
