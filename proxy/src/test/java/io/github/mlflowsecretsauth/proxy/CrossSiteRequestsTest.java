package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Browser requests made for another site's page are refused; the MLflow UI used through the proxy (same origin)
 * keeps working. Raw HTTP over real sockets, so {@code Host}, {@code Origin} and {@code Sec-Fetch-Site} are exactly
 * what a browser sends; the upstream is the testkit MLflow server.
 */
class CrossSiteRequestsTest {
    private static final String CREATE = "/ajax-api/2.0/mlflow/experiments/create";
    private static final String SEARCH = "/ajax-api/2.0/mlflow/experiments/search?max_results=10";

    private final Engines engines = new Engines();
    private VaultServer vault;
    private MlflowServer mlflow;
    private SecretsAuth auth;
    private AuthProxy proxy;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().clock(engines.clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v1"));
        mlflow = MlflowServer.builder().start();
        auth = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.address().toString(),
                "VAULT_TOKEN", vault.rootToken(), "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
        proxy = AuthProxy.builder(auth, mlflow.uri()).start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        auth.close();
        mlflow.close();
        vault.close();
    }

    /** One request on its own connection; the whole answer as text. */
    private String send(int port, String method, String target, String host, String... headers) throws Exception {
        String body = method.equals("POST") ? "{\"name\":\"e-" + System.nanoTime() + "\"}" : "";
        StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        if (!body.isEmpty()) {
            r.append("Content-Type: application/json\r\nContent-Length: ").append(body.length()).append("\r\n");
        }
        r.append("\r\n").append(body);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000); // a bound for the test: every answer here comes in milliseconds
            OutputStream out = s.getOutputStream();
            out.write(r.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String send(String method, String target, String... headers) throws Exception {
        return send(proxy.port(), method, target, "127.0.0.1:" + proxy.port(), headers);
    }

    private String own() {
        return "http://127.0.0.1:" + proxy.port();
    }

    @Test
    void postWithAForeignOrigin_is403WithAJsonError_andNeverReachesMlflow() throws Exception {
        String answer = send("POST", CREATE, "Origin: http://evil.example", "Sec-Fetch-Site: cross-site");
        assertThat(answer).startsWith("HTTP/1.1 403").contains("application/json")
                .contains("\"error_code\":\"PROXY_REFUSED\"").contains("another site").doesNotContain("token-v1");
        assertThat(send("POST", CREATE, "Origin: http://evil.example")).as("Origin alone").startsWith("HTTP/1.1 403");
        assertThat(send("POST", CREATE, "Sec-Fetch-Site: cross-site")).as("Sec-Fetch-Site alone").startsWith("HTTP/1.1 403");
        assertThat(send("POST", CREATE, "Origin: null")).as("an opaque origin").startsWith("HTTP/1.1 403");
        for (String m : new String[] {"PUT", "PATCH", "DELETE"}) {
            assertThat(send(m, "/api/2.0/mlflow-artifacts/artifacts/x", "Origin: http://evil.example")).as(m).startsWith("HTTP/1.1 403");
        }
        assertThat(mlflow.requestCount()).isZero();
        assertThat(proxy.metrics().refused()).isEqualTo(7);
    }

    @Test
    void anotherPortOnThisHost_isAnotherOrigin_evenWhenTheBrowserCallsItSameSite() throws Exception {
        for (String origin : new String[] {"http://127.0.0.1:1", "http://localhost:8080", "https://127.0.0.1:" + proxy.port(),
                "http://127.0.0.1.evil.example:" + proxy.port()}) {
            assertThat(send("POST", CREATE, "Origin: " + origin, "Sec-Fetch-Site: same-site")).as(origin).startsWith("HTTP/1.1 403");
        }
        assertThat(mlflow.requestCount()).isZero();
    }

    @Test
    void theProxysOwnEndpoints_refuseCrossSiteRequests_ofAnyMethod() throws Exception {
        assertThat(send("GET", "/__mlflow-secrets-auth/health", "Sec-Fetch-Site: cross-site")).startsWith("HTTP/1.1 403");
        assertThat(send("GET", "/__mlflow-secrets-auth/metrics", "Origin: http://evil.example")).startsWith("HTTP/1.1 403");
        send("GET", SEARCH); // warms the cache: one Vault read
        vault.resetCounts();
        assertThat(send("POST", "/__mlflow-secrets-auth/cache/clear", "Origin: http://evil.example")).startsWith("HTTP/1.1 403");
        send("GET", SEARCH);
        assertThat(vault.requestCount("/v1/secret/data/mlflow/auth")).as("the cache was not cleared").isZero();
        assertThat(send("GET", "/__mlflow-secrets-auth/health", "Sec-Fetch-Site: none")).as("typed into the address bar")
                .startsWith("HTTP/1.1 200");
        assertThat(send("GET", "/__mlflow-secrets-auth/health", "Origin: " + own(), "Sec-Fetch-Site: same-origin"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void theMlflowUiThroughTheProxy_sameOriginPagesAndCalls_keepWorking() throws Exception {
        // The page itself (a navigation: no Origin), then the UI's own API calls, as a browser sends them.
        String page = send("GET", "/#/experiments", "Sec-Fetch-Site: none", "Sec-Fetch-Mode: navigate");
        assertThat(page).doesNotStartWith("HTTP/1.1 403");
        assertThat(mlflow.calls()).anySatisfy(c -> assertThat(c.path()).isEqualTo("/"));
        String created = send("POST", CREATE, "Origin: " + own(), "Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: cors");
        assertThat(created).startsWith("HTTP/1.1 200").contains("experiment_id");
        assertThat(send("GET", SEARCH, "Sec-Fetch-Site: same-origin")).startsWith("HTTP/1.1 200").contains("experiments");
        // The same UI opened as localhost or [::1] on the proxy's port is the proxy's own origin too.
        int port = proxy.port();
        assertThat(send(port, "POST", CREATE, "localhost:" + port, "Origin: http://localhost:" + port)).startsWith("HTTP/1.1 200");
        assertThat(send(port, "POST", CREATE, "[::1]:" + port, "Origin: http://[::1]:" + port)).startsWith("HTTP/1.1 200");
        assertThat(mlflow.calls()).filteredOn(c -> c.path().endsWith("experiments/create")).hasSize(3)
                .allSatisfy(c -> assertThat(c.header("Authorization")).contains("Bearer token-v1"));
    }

    @Test
    void aLinkFromAnotherSite_toAUiPage_stillOpens() throws Exception {
        assertThat(send("GET", "/", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Mode: navigate")).doesNotStartWith("HTTP/1.1 403");
        assertThat(send("GET", SEARCH, "Origin: http://evil.example")).as("a read: the browser keeps the answer from the page")
                .startsWith("HTTP/1.1 200");
        assertThat(mlflow.requestCount()).isEqualTo(2);
    }

    @Test
    void withAClientToken_aCrossSiteRequestIsRefusedAs403_beforeTheTokenIsChecked() throws Exception {
        String token = ClientToken.random();
        try (AuthProxy guarded = AuthProxy.builder(auth, mlflow.uri()).clientToken(token).start()) {
            int port = guarded.port();
            assertThat(send(port, "POST", CREATE, "127.0.0.1:" + port, "Origin: http://evil.example")).startsWith("HTTP/1.1 403");
            assertThat(send(port, "POST", CREATE, "127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port)).startsWith("HTTP/1.1 401");
            assertThat(send(port, "POST", CREATE, "127.0.0.1:" + port, "Origin: http://127.0.0.1:" + port,
                    "Authorization: " + ClientToken.authorization(token))).startsWith("HTTP/1.1 200");
        }
        assertThat(mlflow.calls()).hasSize(1).allSatisfy(c -> assertThat(c.header("Authorization")).contains("Bearer token-v1"));
    }

    @Test
    void ownOrigin_isSchemeOneOfTheProxysHostsAndItsPort_only() {
        Set<String> hosts = Set.of("127.0.0.1", "localhost", "[::1]");
        assertThat(CrossSite.isOwnOrigin("http://127.0.0.1:5001", "http", 5001, hosts)).isTrue();
        assertThat(CrossSite.isOwnOrigin("HTTP://LOCALHOST:5001", "http", 5001, hosts)).isTrue();
        assertThat(CrossSite.isOwnOrigin("http://[::1]:5001", "http", 5001, hosts)).isTrue();
        assertThat(CrossSite.isOwnOrigin("http://127.0.0.1", "http", 80, hosts)).isTrue();
        assertThat(CrossSite.isOwnOrigin("http://127.0.0.1:5002", "http", 5001, hosts)).isFalse();
        assertThat(CrossSite.isOwnOrigin("https://127.0.0.1:5001", "http", 5001, hosts)).isFalse();
        assertThat(CrossSite.isOwnOrigin("http://u@127.0.0.1:5001", "http", 5001, hosts)).isFalse();
        assertThat(CrossSite.isOwnOrigin("http://127.0.0.1:5001/x", "http", 5001, hosts)).isFalse();
        assertThat(CrossSite.isOwnOrigin("null", "http", 5001, hosts)).isFalse();
        assertThat(CrossSite.isOwnOrigin("http://%zz", "http", 5001, hosts)).isFalse();
    }

    @Test
    void clientTokens_areFreshAndUrlSafe() {
        String a = ClientToken.random();
        assertThat(a).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(ClientToken.random()).isNotEqualTo(a);
        assertThat(ClientToken.authorization(a)).isEqualTo("Bearer " + a);
    }
}
