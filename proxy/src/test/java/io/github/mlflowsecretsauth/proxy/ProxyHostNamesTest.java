package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testing.Engines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MLFLOW_SECRETS_PROXY_HOST_NAMES: a proxy reached through a name of its own (a Kubernetes Service's DNS name)
 * forwards requests for that name, and still refuses every other Host (421), over real sockets.
 */
class ProxyHostNamesTest {
    private static final String SERVICE = "mlflow-secrets-auth.ml-platform.svc.cluster.local";

    private final Engines engines = new Engines();
    private final List<AutoCloseable> open = new java.util.ArrayList<>();
    private TestUpstream upstream;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("Bearer host-names-test-token");
        open.add(upstream);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private SecretsAuth engine(String hostNames) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "env");
        s.put("MLFLOW_TRACKING_TOKEN", "host-names-test-token");
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        if (hostNames != null) {
            s.put("MLFLOW_SECRETS_PROXY_HOST_NAMES", hostNames);
        }
        SecretsAuth auth = engines.engine(s);
        open.add(auth);
        return auth;
    }

    private AuthProxy proxy(SecretsAuth auth) {
        AuthProxy proxy = AuthProxy.builder(auth, upstream.uri()).start();
        open.add(proxy);
        return proxy;
    }

    private static String statusLine(AuthProxy proxy, String host) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\nHost: " + host + ":" + proxy.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void aConfiguredName_isForwardedWithTheCredential_anyOtherHostIsStillRefused() throws Exception {
        AuthProxy proxy = proxy(engine("mlflow-secrets-auth, " + SERVICE.toUpperCase(java.util.Locale.ROOT) + ","));
        assertThat(statusLine(proxy, SERVICE)).contains(" 200");
        assertThat(statusLine(proxy, "mlflow-secrets-auth")).contains(" 200");
        assertThat(upstream.seen()).hasSize(2).allSatisfy(seen ->
                assertThat(seen.header("Authorization")).isEqualTo("Bearer host-names-test-token"));
        assertThat(statusLine(proxy, "mlflow-secrets-auth.other-namespace.svc")).contains(" 421");
        assertThat(statusLine(proxy, "evil.example.com")).contains(" 421");
        assertThat(upstream.seen()).hasSize(2);
    }

    @Test
    void withoutTheSetting_aServiceNameIsRefused() throws Exception {
        AuthProxy proxy = proxy(engine(null));
        assertThat(statusLine(proxy, SERVICE)).contains(" 421");
        assertThat(statusLine(proxy, "127.0.0.1")).contains(" 200");
    }

    @Test
    void theBuilderOverridesTheSetting() throws Exception {
        AuthProxy proxy = AuthProxy.builder(engine("ignored.example"), upstream.uri()).hostNames(List.of("Proxy.Internal")).start();
        open.add(proxy);
        assertThat(statusLine(proxy, "proxy.internal")).contains(" 200");
        assertThat(statusLine(proxy, "ignored.example")).contains(" 421");
    }

    @Test
    void anEntryWithAPortSchemeOrWildcard_refusesToStart_namingTheSetting() {
        for (String bad : List.of("mlflow-secrets-auth:5001", "http://mlflow-secrets-auth", "*.svc", "a b")) {
            SecretsAuth auth = engine("ok.example," + bad);
            assertThatThrownBy(() -> AuthProxy.builder(auth, upstream.uri()).start()).as(bad)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("MLFLOW_SECRETS_PROXY_HOST_NAMES: entry 2 is not a host name");
        }
    }
}
