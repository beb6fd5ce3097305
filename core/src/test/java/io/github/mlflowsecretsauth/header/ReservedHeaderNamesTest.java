package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReservedHeaderNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"Host", "content-length", "Transfer-Encoding", "CONNECTION", "Upgrade", "TE", "Trailer",
            "Proxy-Connection", "keep-alive"})
    void framingAndHopByHopNames_areRefused(String name) {
        assertThatThrownBy(() -> HeaderNames.validate(name, "MLFLOW_AUTH_HEADER_NAME"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_AUTH_HEADER_NAME must not be a message-framing or hop-by-hop header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "Proxy-Authorization", "X-MLflow-Auth", "X-Api-Key"})
    void otherNames_areAllowed(String name) {
        assertThat(HeaderNames.validate(name, "MLFLOW_AUTH_HEADER_NAME")).isEqualTo(name);
    }
}
