package io.github.mlflowsecretsauth.proxy.tls;

import io.github.mlflowsecretsauth.config.Settings;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamTlsTest {

    private static UpstreamTls tls(String upstream, Map<String, String> values) {
        return UpstreamTls.from(Settings.builder().setAll(values).build(), URI.create(upstream), Clock.systemUTC());
    }

    @Test
    void anHttpUpstream_getsAFactoryThatLoadsNothing_andRefusesToMakeATlsConnection() throws Exception {
        SslContextFactory.Client factory = tls("http://mlflow.internal:5000", Map.of()).newSslContextFactory();

        factory.start();
        try {
            assertThat(factory).isInstanceOf(PlainHttpOnly.class);
            assertThatThrownBy(factory::getSslContext).as("no TLS context built, so the JDK's CAs were not loaded")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("upstream is http");
            assertThatThrownBy(() -> factory.newSSLEngine("mlflow.internal", 443))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("upstream is http");
        } finally {
            factory.stop();
        }
    }

    @Test
    void anHttpsUpstream_getsARealFactory_thatMakesEngines() throws Exception {
        SslContextFactory.Client factory = tls("https://mlflow.example.com", Map.of()).newSslContextFactory();

        factory.start();
        try {
            assertThat(factory).isNotInstanceOf(PlainHttpOnly.class);
            assertThat(factory.getSslContext()).isNotNull();
            assertThat(factory.newSSLEngine("mlflow.example.com", 443).getPeerHost()).isEqualTo("mlflow.example.com");
        } finally {
            factory.stop();
        }
    }
}
