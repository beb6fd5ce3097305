package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CredentialTextTest {
    private static final String CANARY = "CANARYsecret";

    @ParameterizedTest
    @ValueSource(strings = {"\r\nX-Injected: 1", "\n", "\u0000", "\u007f", "\t"})
    void controlCharacters_areRefusedAsIsAndEncoded_withoutTheValue(String bad) {
        String value = CANARY + bad;
        assertThat(CredentialText.problemAsIs(value)).contains(CredentialText.Problem.CONTROL);
        assertThat(CredentialText.problemEncoded(value)).contains(CredentialText.Problem.CONTROL);
        assertThatThrownBy(() -> CredentialText.requireSetting(value, "VAULT_TOKEN"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("VAULT_TOKEN contains a control character")
                .hasMessageNotContaining(CANARY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"é", "\u0085", "\u2028", "\uD83D\uDE00"})
    void nonAscii_isRefusedForATokenButAllowedInAnEncodedPassword(String odd) {
        String value = CANARY + odd;
        assertThat(CredentialText.problemAsIs(value)).contains(CredentialText.Problem.NON_ASCII);
        assertThat(CredentialText.problemEncoded(value)).isEmpty();
        assertThatThrownBy(() -> CredentialText.requireFromBackend(value, "Vault's login token"))
                .isInstanceOf(MalformedSecretException.class)
                .hasMessageStartingWith("Vault's login token contains a non-ASCII character")
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void impossibleLength_isRefused_theLimitItselfIsAccepted() {
        assertThat(CredentialText.problemAsIs("a".repeat(CredentialText.MAX_LENGTH))).isEmpty();
        assertThat(CredentialText.problemAsIs("a".repeat(CredentialText.MAX_LENGTH + 1)))
                .contains(CredentialText.Problem.TOO_LONG);
        assertThatThrownBy(() -> CredentialText.requireEncodedSetting(CANARY.repeat(10_000), "MLFLOW_TRACKING_PASSWORD"))
                .hasMessageStartingWith("MLFLOW_TRACKING_PASSWORD is longer than 16384 characters")
                .hasMessageNotContaining(CANARY);
    }

    @Test
    void ordinaryCredentials_pass() {
        assertThat(CredentialText.requireSetting("hvs.CAESIabc-_~.+/=", "VAULT_TOKEN")).isEqualTo("hvs.CAESIabc-_~.+/=");
        assertThat(CredentialText.requireEncodedSetting("pä ss wörd", "MLFLOW_TRACKING_PASSWORD")).isEqualTo("pä ss wörd");
    }
}
