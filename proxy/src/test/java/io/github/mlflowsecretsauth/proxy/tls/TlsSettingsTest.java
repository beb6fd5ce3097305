package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsSettingsTest {

    private static TlsSettings parse(Map<String, String> values) {
        return TlsSettings.from(Settings.builder().setAll(values).build());
    }

    @Test
    void nothingSet_meansDefaultTrustAndNoClientCertificate() {
        TlsSettings s = parse(Map.of());

        assertThat(s.isSet()).isFalse();
        assertThat(s.clientCert()).isEmpty();
        assertThat(s.caBundle()).isEmpty();
        assertThat(s.insecure()).isFalse();
    }

    @Test
    void mlflowsServerCertPath_isAnAliasOfTheCaBundle_andNamedInMessages() {
        TlsSettings s = parse(Map.of("MLFLOW_TRACKING_SERVER_CERT_PATH", "/etc/ca.pem"));

        assertThat(s.caBundle()).contains(Path.of("/etc/ca.pem"));
        assertThat(s.caVariable()).isEqualTo("MLFLOW_TRACKING_SERVER_CERT_PATH");
        assertThat(parse(Map.of("MLFLOW_TRACKING_CA_BUNDLE_PATH", "/etc/ca.pem", "MLFLOW_TRACKING_SERVER_CERT_PATH", "/etc/ca.pem"))
                .caVariable()).isEqualTo("MLFLOW_TRACKING_CA_BUNDLE_PATH");
    }

    @Test
    void theCaBundleAndItsAlias_namingDifferentFiles_isAConfigurationError() {
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_TRACKING_CA_BUNDLE_PATH", "/a.pem", "MLFLOW_TRACKING_SERVER_CERT_PATH", "/b.pem")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("MLFLOW_TRACKING_CA_BUNDLE_PATH and MLFLOW_TRACKING_SERVER_CERT_PATH name different files")
                .hasMessageNotContaining("/a.pem");
    }

    @Test
    void insecureTogetherWithACaBundle_isAConfigurationError_asInMlflow() {
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_TRACKING_INSECURE_TLS", "true", "MLFLOW_TRACKING_CA_BUNDLE_PATH", "/ca.pem")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("MLFLOW_TRACKING_INSECURE_TLS=true cannot be combined with MLFLOW_TRACKING_CA_BUNDLE_PATH");
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_TRACKING_INSECURE_TLS", "yes", "MLFLOW_TRACKING_SERVER_CERT_PATH", "/ca.pem")))
                .hasMessageContaining("cannot be combined with MLFLOW_TRACKING_SERVER_CERT_PATH");
    }

    @Test
    void insecure_isOnlyOnWhenExplicitlyTrue() {
        assertThat(parse(Map.of("MLFLOW_TRACKING_INSECURE_TLS", "false")).insecure()).isFalse();
        assertThat(parse(Map.of("MLFLOW_TRACKING_INSECURE_TLS", "true")).insecure()).isTrue();
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_TRACKING_INSECURE_TLS", "please")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("MLFLOW_TRACKING_INSECURE_TLS must be true or false");
    }

    @Test
    void aKeyOrPasswordWithoutACertificate_isAConfigurationError() {
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_TRACKING_CLIENT_KEY_PATH", "/k.pem")))
                .hasMessage("MLFLOW_TRACKING_CLIENT_KEY_PATH is set but MLFLOW_TRACKING_CLIENT_CERT_PATH is not: set both for mutual TLS");
        assertThatThrownBy(() -> parse(Map.of("MLFLOW_TRACKING_CLIENT_CERT_PASSWORD", "hunter2")))
                .hasMessageStartingWith("MLFLOW_TRACKING_CLIENT_CERT_PASSWORD is set but MLFLOW_TRACKING_CLIENT_CERT_PATH is not")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void toString_neverShowsThePassword() {
        TlsSettings s = parse(Map.of("MLFLOW_TRACKING_CLIENT_CERT_PATH", "/c.p12", "MLFLOW_TRACKING_CLIENT_CERT_PASSWORD", "hunter2"));

        assertThat(s.toString()).doesNotContain("hunter2").contains("password=<set>");
    }
}
