package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The upstream's redirects: kept on the proxy when they point at the upstream, refused to a client with Authorization. */
class RedirectLocationsTest {
    private final Engines engines = new Engines();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private VaultServer vault;
    private TestUpstream upstream;
    private TestUpstream elsewhere;
    private SecretsAuth auth;

    @BeforeEach
    void start() throws Exception {
        vault = VaultServer.builder().clock(engines.clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v1"));
        upstream = new TestUpstream("Bearer token-v1");
        elsewhere = new TestUpstream();
        auth = engines.engine(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.address().toString(),
                "VAULT_TOKEN", vault.rootToken(), "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        auth.close();
        upstream.close();
        elsewhere.close();
        vault.close();
    }

    private HttpResponse<String> get(AuthProxy proxy, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(proxy.uri().resolve(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRedirectToAnotherServer_isA502ForAClientThatSendsAuthorization_andNamesTheHost() throws Exception {
        String token = ClientToken.random();
        try (AuthProxy proxy = AuthProxy.builder(auth, upstream.uri()).clientToken(token).start()) {
            upstream.enqueue(302, "<a href=x>moved</a>", Map.of("Location", elsewhere.uri() + "/steal?x=1"));
            HttpResponse<String> r = get(proxy, "/api/2.0/mlflow/experiments/get?experiment_id=1", ClientToken.authorization(token));
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.headers().firstValue("Location")).isEmpty();
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(r.body()).contains("\"error_code\":\"REDIRECT_REFUSED\"").contains("127.0.0.1:" + elsewhere.uri().getPort())
                    .doesNotContain(token).doesNotContain("token-v1").doesNotContain("moved");
            upstream.enqueue(307, "", Map.of("Location", "//" + elsewhere.uri().getAuthority() + "/steal"));
            assertThat(get(proxy, "/x", ClientToken.authorization(token)).statusCode()).as("scheme-relative").isEqualTo(502);
        }
        assertThat(elsewhere.seen()).isEmpty();
    }

    @Test
    void aRedirectToAnotherServer_isPassedOn_toAClientWithoutAuthorization() throws Exception {
        try (AuthProxy proxy = AuthProxy.builder(auth, upstream.uri()).start()) {
            upstream.enqueue(302, "", Map.of("Location", "https://sso.example.com/login"));
            HttpResponse<String> r = get(proxy, "/", null);
            assertThat(r.statusCode()).isEqualTo(302);
            assertThat(r.headers().firstValue("Location")).contains("https://sso.example.com/login");
        }
    }

    @Test
    void aRedirectToTheUpstreamItself_becomesAPathOnTheProxy_soTheClientStaysOnIt() throws Exception {
        String token = ClientToken.random();
        try (AuthProxy proxy = AuthProxy.builder(auth, URI.create(upstream.uri() + "/mlflow")).clientToken(token).start()) {
            upstream.enqueue(301, "", Map.of("Location", upstream.uri() + "/mlflow/api/2.0/mlflow/experiments/list/?a=1"));
            HttpResponse<String> r = get(proxy, "/api/2.0/mlflow/experiments/list", ClientToken.authorization(token));
            assertThat(r.statusCode()).isEqualTo(301);
            assertThat(r.headers().firstValue("Location")).contains("/api/2.0/mlflow/experiments/list/?a=1");
            HttpResponse<String> followed = get(proxy, r.headers().firstValue("Location").orElseThrow(), ClientToken.authorization(token));
            assertThat(followed.statusCode()).isEqualTo(200);
            assertThat(upstream.seen()).extracting(TestUpstream.Seen::path)
                    .containsExactly("/mlflow/api/2.0/mlflow/experiments/list", "/mlflow/api/2.0/mlflow/experiments/list/");
            assertThat(upstream.seen()).allSatisfy(s -> assertThat(s.header("Authorization")).isEqualTo("Bearer token-v1"));
        }
    }

    @Test
    void locations_onTheUpstreamAreMapped_othersAreNot() {
        RedirectLocations plain = new RedirectLocations(URI.create("http://mlflow.example.com:5000"));
        assertThat(plain.onProxy("http://MLFLOW.example.com:5000/a/b?q=1#f")).isEqualTo("/a/b?q=1#f");
        assertThat(plain.onProxy("http://mlflow.example.com:5000")).isEqualTo("/");
        assertThat(plain.onProxy("//mlflow.example.com:5000/a")).isEqualTo("/a");
        assertThat(plain.onProxy("/login")).isEqualTo("/login");
        assertThat(plain.onProxy("next?page=2")).isEqualTo("next?page=2");
        assertThat(plain.onProxy("https://mlflow.example.com:5000/a")).as("another scheme").isNull();
        assertThat(plain.onProxy("http://mlflow.example.com/a")).as("another port").isNull();
        assertThat(plain.onProxy("http://evil.example.com:5000/a")).isNull();
        assertThat(plain.onProxy("http://user@mlflow.example.com:5000/a")).isNull();
        assertThat(plain.onProxy("//evil.example.com/a")).isNull();
        assertThat(plain.onProxy("http://%zz/")).isNull();
        RedirectLocations prefixed = new RedirectLocations(URI.create("https://gw.example.com/mlflow/"));
        assertThat(prefixed.onProxy("https://gw.example.com:443/mlflow/api/x")).isEqualTo("/api/x");
        assertThat(prefixed.onProxy("/mlflow/api/x")).isEqualTo("/api/x");
        assertThat(prefixed.onProxy("https://gw.example.com/other/app")).as("outside the prefix").isNull();
    }
}
