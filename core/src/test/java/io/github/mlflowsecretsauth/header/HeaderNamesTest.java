package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeaderNamesTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final String VAR = "MLFLOW_AUTH_HEADER_NAME";

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "X-MLflow-Auth", "x_api_key", "X-Api-Key", "a", "Z9", "!#$%&'*+-.^_`|~"})
    void isToken_acceptsRfc9110TokenCharacters(String name) {
        assertThat(HeaderNames.isToken(name)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"X Auth", "X-Auth:", "Authorization\r\nX-Injected: 1", "Auth\u0000", "X-Äuth", "(auth)", "a/b",
            "\"quoted\"", "a,b", "a;b", "a=b", "{x}", "[x]", "a\\b", "a@b", "a?b", "\tX", "X\u007f"})
    void isToken_rejectsSeparatorsSpacesControlsAndNonAscii(String name) {
        assertThat(HeaderNames.isToken(name)).isFalse();
    }

    @Test
    void validate_returnsValidNameUnchanged() {
        assertThat(HeaderNames.validate("X-MLflow-Auth", VAR)).isEqualTo("X-MLflow-Auth");
    }

    @Test
    void validate_invalidName_isConfigurationErrorNamingVariableWithExample() {
        assertThatThrownBy(() -> HeaderNames.validate("X MLflow Auth", VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR + " must be a valid HTTP header name")
                .hasMessageContaining("X-MLflow-Auth");
    }

    @Test
    void validate_doesNotEchoAValueMistakenlyGivenAsName() {
        assertThatThrownBy(() -> HeaderNames.validate("Authorization: Bearer " + CANARY, VAR))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith(VAR)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CANARY));
    }

    @Test
    void validate_null_isConfigurationError() {
        assertThatThrownBy(() -> HeaderNames.validate(null, VAR)).isInstanceOf(ConfigurationException.class);
    }
}
