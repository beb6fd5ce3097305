package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testing.Engines;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The proxy over real sockets: testkit Vault for the credential, a programmable upstream. */
class AuthProxyTest {
    private static final String KV_READ = "/v1/secret/data/mlflow/auth";

    private final Engines engines = new Engines();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private VaultServer vault;
    private TestUpstream upstream;
    private SecretsAuth auth;
    private AuthProxy proxy;

    @BeforeEach
    void start() throws Exception {
        vault = VaultServer.builder().clock(engines.clock).start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v1"));
        upstream = new TestUpstream("Bearer token-v1");
        auth = engines.engine(settings());
        proxy = AuthProxy.builder(auth, upstream.uri()).start();
    }

    private Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        s.put("VAULT_ADDR", vault.address().toString());
        s.put("VAULT_TOKEN", vault.rootToken());
        s.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return s;
    }

    @AfterEach
    void stop() {
        proxy.close();
        auth.close();
        upstream.close();
        vault.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(proxy.uri().resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientForwardingHeaders_areReplaced_orDropped_neverPassedOnAsOurs() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/experiments/search"))
                .header("X-Forwarded-For", "203.0.113.9").header("X-Forwarded-Proto", "https")
                .header("Forwarded", "for=203.0.113.9;proto=https").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        TestUpstream.Seen seen = upstream.seen().get(0);
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("Forwarded")).isNull();
        assertThat(seen.header("Via")).contains("mlflow-secrets-auth");
    }

    @Test
    void forwardsMethodPathAndQuery_withTheCredential_andUpstreamHost() throws Exception {
        HttpResponse<String> r = get("/api/2.0/mlflow/experiments/search?max_results=1&filter=name%3D%27a%20b%27");
        assertThat(r.statusCode()).isEqualTo(200);
        TestUpstream.Seen seen = upstream.seen().get(0);
        assertThat(seen.method()).isEqualTo("GET");
        assertThat(seen.path()).isEqualTo("/api/2.0/mlflow/experiments/search");
        assertThat(seen.query()).isEqualTo("max_results=1&filter=name%3D%27a%20b%27");
        assertThat(seen.header("Authorization")).isEqualTo("Bearer token-v1");
        assertThat(seen.header("Host")).isEqualTo("127.0.0.1:" + upstream.uri().getPort());
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + proxy.port());
        for (String m : new String[] {"PUT", "DELETE", "PATCH"}) {
            HttpResponse<String> x = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/x")).method(m,
                    HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(x.statusCode()).isEqualTo(200);
        }
        assertThat(upstream.seen()).extracting(TestUpstream.Seen::method).containsExactly("GET", "PUT", "DELETE", "PATCH");
    }

    @Test
    void upstreamPathPrefix_isPrependedToEveryPath() throws Exception {
        try (AuthProxy prefixed = AuthProxy.builder(auth, URI.create(upstream.uri() + "/mlflow/")).start()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(prefixed.uri().resolve("/api/2.0/mlflow/runs/get?run_id=1"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(upstream.seen().get(0).path()).isEqualTo("/mlflow/api/2.0/mlflow/runs/get");
        }
    }

    @Test
    void rotatedSecret_rejectedByUpstream_isRefetchedAndTheRequestReplayed_withoutTheClientSeeingA401() throws Exception {
        assertThat(get("/warm").statusCode()).isEqualTo(200);
        vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v2"));
        upstream.accept("Bearer token-v2");
        vault.resetCounts();
        HttpResponse<String> r = post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\":\"r1\",\"key\":\"loss\",\"value\":0.5}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(vault.requestCount(KV_READ)).isEqualTo(1);
        assertThat(proxy.metrics().authReplays()).isEqualTo(1);
        TestUpstream.Seen replayed = upstream.seen().get(upstream.seen().size() - 1);
        assertThat(replayed.header("Authorization")).isEqualTo("Bearer token-v2");
        assertThat(r.body()).contains("\"bytes\":" + "{\"run_id\":\"r1\",\"key\":\"loss\",\"value\":0.5}".length());
    }

    @Test
    void concurrentRequestsRejectedForTheSameRotatedCredential_areAllReplayed() throws Exception {
        assertThat(get("/warm").statusCode()).isEqualTo(200);
        vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v2"));
        upstream.accept("Bearer token-v2");
        upstream.delay(200); // keeps the 32 requests in flight together, so they are all rejected with token-v1
        vault.setLatency(java.time.Duration.ofMillis(300)); // and the refetch is still running when most 401s arrive
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            inFlight.add(client.sendAsync(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow/runs/log-metric"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"i\":" + i + "}")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(upstream.accepted()).isEqualTo(33);
    }

    @Test
    void credentialStillRejectedAfterTheRefetch_goesBackToTheClientOnce() throws Exception {
        upstream.accept("Bearer something-else");
        HttpResponse<String> r = get("/api/2.0/mlflow/experiments/search");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(upstream.seen()).hasSize(2); // the original and one replay, no more
        assertThat(r.body()).contains("\"error_code\":\"UNAUTHENTICATED\"")
                .contains("MLflow authentication error (HTTP 401): Invalid credentials").contains("vault:secret/mlflow/auth")
                .doesNotContain("token-v1");
        upstream.enqueue(403, "<html>forbidden</html>", Map.of());
        HttpResponse<String> forbidden = get("/api/2.0/mlflow/experiments/search");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("MLflow authentication error (HTTP 403): Access forbidden").doesNotContain("<html>");
    }

    @Test
    void largeUpload_streamsThrough_andArrivesIntact() throws Exception {
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(42).nextBytes(data);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/2.0/mlflow-artifacts/artifacts/big.bin"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertThat(r.body()).contains(sha);
    }

    @Test
    void largeDownload_streamsBack() throws Exception {
        upstream.download(50L * 1024 * 1024);
        HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/download")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long n = 0;
        try (InputStream in = r.body()) {
            byte[] buf = new byte[64 * 1024];
            for (int k; (k = in.read(buf)) > 0; ) {
                n += k;
            }
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(n).isEqualTo(50L * 1024 * 1024);
    }

    @Test
    void streamedUploadRejected_returns401_butDropsTheCredentialForTheNextRequest() throws Exception {
        assertThat(get("/warm").statusCode()).isEqualTo(200);
        vault.putSecret("secret/mlflow/auth", Map.of("token", "token-v2"));
        upstream.accept("Bearer token-v2");
        byte[] big = new byte[2 * 1024 * 1024];
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(proxy.uri().resolve("/upload"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(get("/next").statusCode()).isEqualTo(200);
    }

    @Test
    void throttled429_isRetried_soTheClientNeverSeesIt() throws Exception {
        upstream.enqueue(429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\"}", Map.of("Retry-After", "0"));
        upstream.enqueue(429, "{\"error_code\":\"REQUEST_LIMIT_EXCEEDED\"}", Map.of());
        HttpResponse<String> r = post("/api/2.0/mlflow/runs/log-batch", "{\"run_id\":\"r\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(proxy.metrics().throttleReplays()).isEqualTo(2);
        assertThat(upstream.accepted()).isEqualTo(1);
    }

    @Test
    void throttledBeyondTheBudget_returnsThe429() throws Exception {
        try (AuthProxy strict = AuthProxy.builder(auth, upstream.uri()).throttleRetries(1, java.time.Duration.ofSeconds(5)).start()) {
            upstream.enqueue(429, "{}", Map.of("Retry-After", "0"));
            upstream.enqueue(429, "{}", Map.of("Retry-After", "0"));
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(strict.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(429);
        }
    }

    @Test
    void badGateway_idempotentGetIsRetried_postIsNot_andAnEmptyErrorSaysWhatHappened() throws Exception {
        upstream.enqueue(502, "", Map.of());
        upstream.enqueue(503, "", Map.of());
        assertThat(get("/api/2.0/mlflow/runs/get?run_id=r").statusCode()).isEqualTo(200);
        assertThat(upstream.seen()).hasSize(3);
        upstream.enqueue(502, "", Map.of());
        HttpResponse<String> r = post("/api/2.0/mlflow/runs/log-metric", "{\"run_id\":\"r\"}");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("UPSTREAM_ERROR", "answered HTTP 502 with no body", "the POST was not retried");
        assertThat(upstream.seen()).hasSize(4);
    }

    @Test
    void upstreamDown_getIsRetriedTwiceThenReported_postOnceWithTheReason() throws Exception {
        upstream.close();
        HttpResponse<String> g = get("/api/2.0/mlflow/runs/get?run_id=r");
        assertThat(g.statusCode()).isEqualTo(502);
        assertThat(g.body()).contains("UPSTREAM_UNAVAILABLE", "after 2 retries of this GET");
        HttpResponse<String> p = post("/api/2.0/mlflow/runs/log-metric", "{}");
        assertThat(p.body()).contains("UPSTREAM_UNAVAILABLE", "the POST was not retried");
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] got = s.getInputStream().readNBytes(12);
            return new String(got, StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void traceAndDotSegments_areRefused_andNeverForwarded() throws Exception {
        assertThat(raw("TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).endsWith("405");
        for (String path : new String[] {"/api/../admin", "/./api", "/api/%2e%2e/x", "/api/..;/x"}) {
            assertThat(raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")).as(path).endsWith("400");
        }
        assertThat(upstream.seen()).isEmpty();
        assertThat(GuardHandler.hasDotSegment("/api/2.0/mlflow/runs/get")).isFalse();
        assertThat(GuardHandler.hasDotSegment("/a/.hidden/b..c")).isFalse();
    }

    @Test
    void malformedChunkedBody_isA400NamingTheBody_notAnUpstreamFailure() throws Exception {
        assertThat(raw("POST /api/2.0/mlflow/runs/log-metric HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n")).endsWith("400");
    }

    @Test
    void redirect_isPassedBackUnchanged_andNotFollowed() throws Exception {
        upstream.enqueue(302, "", Map.of("Location", "http://elsewhere.example.com/login"));
        HttpResponse<String> r = get("/api/2.0/mlflow/experiments/search");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location")).contains("http://elsewhere.example.com/login");
        assertThat(upstream.seen()).hasSize(1);
    }

    @Test
    void connectAndAbsoluteFormForOtherHosts_areRefused() throws Exception {
        assertThat(rawStatusLine("CONNECT evil.example.com:443 HTTP/1.1\r\nHost: evil.example.com:443\r\n\r\n")).contains(" 405");
        assertThat(rawStatusLine("GET http://evil.example.com/steal HTTP/1.1\r\nHost: evil.example.com\r\n\r\n")).contains(" 421");
        assertThat(rawStatusLine("GET /api HTTP/1.1\r\nHost: attacker.example.com\r\n\r\n")).contains(" 421");
        assertThat(upstream.seen()).isEmpty();
        assertThat(proxy.metrics().refused()).isEqualTo(3);
    }

    private String rawStatusLine(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void slowClientSendingHalfAHeader_isDisconnectedAtTheIdleTimeout() throws Exception {
        try (AuthProxy strict = AuthProxy.builder(auth, upstream.uri()).idleTimeout(java.time.Duration.ofMillis(300)).start();
             Socket s = new Socket("127.0.0.1", strict.port())) {
            s.setSoTimeout(10_000); // a bound for the test, far above the proxy's idle timeout
            s.getOutputStream().write("GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            byte[] rest = in.readAllBytes(); // returns once the proxy closes the connection
            assertThat(new String(rest, StandardCharsets.US_ASCII)).doesNotContain("200");
        }
        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void upstreamOutsideTheAllowlist_refusesToStart() {
        assertThatThrownBy(() -> AuthProxy.builder(auth, URI.create("http://evil.example.com:8080")).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_SECRETS_ALLOWED_HOSTS");
    }

    @Test
    void nonLoopbackListener_needsAllowRemoteAndAClientToken() {
        assertThatThrownBy(() -> AuthProxy.builder(auth, upstream.uri()).listen("0.0.0.0", 0).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("--allow-remote");
        assertThatThrownBy(() -> AuthProxy.builder(auth, upstream.uri()).listen("0.0.0.0", 0).allowRemote(true).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("client token");
    }

    @Test
    void clientToken_isRequired_andNeverForwarded() throws Exception {
        String token = "proxy-client-token-0123456789";
        try (AuthProxy guarded = AuthProxy.builder(auth, upstream.uri()).clientToken(token).start()) {
            HttpResponse<String> denied = client.send(HttpRequest.newBuilder(guarded.uri().resolve("/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(denied.statusCode()).isEqualTo(401);
            HttpResponse<String> ok = client.send(HttpRequest.newBuilder(guarded.uri().resolve("/x"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(upstream.seen()).hasSize(1);
            assertThat(upstream.seen().get(0).header("Authorization")).isEqualTo("Bearer token-v1");
        }
    }

    @Test
    void adminEndpoints_healthMetricsAndCacheClear() throws Exception {
        get("/warm");
        HttpResponse<String> health = get("/__mlflow-secrets-auth/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"provider\":\"vault\"").doesNotContain("token-v1");
        HttpResponse<String> metrics = get("/__mlflow-secrets-auth/metrics");
        assertThat(metrics.body()).contains("mlflow_secrets_auth_proxy_requests_total{method=\"GET\"}")
                .contains("mlflow_secrets_auth_proxy_upstream_responses_total{status=\"200\"} 1")
                .contains("mlflow_secrets_auth_refreshes_total 1").contains("mlflow_secrets_auth_fetch_seconds_count 1");
        assertThat(get("/__mlflow-secrets-auth/cache/clear").statusCode()).isEqualTo(405);
        assertThat(post("/__mlflow-secrets-auth/cache/clear", "").statusCode()).isEqualTo(200);
        vault.resetCounts();
        get("/after-clear");
        assertThat(vault.requestCount(KV_READ)).isEqualTo(1);
        assertThat(upstream.seen()).noneMatch(s -> s.path().startsWith("/__mlflow-secrets-auth"));
    }

    @Test
    void noCredential_isA502WithAReason_andNothingIsForwarded() throws Exception {
        vault.setAvailable(false);
        auth.clearCache();
        HttpResponse<String> r = get("/api/2.0/mlflow/experiments/search");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("CREDENTIAL_UNAVAILABLE").contains("503");
        assertThat(upstream.seen()).isEmpty();
    }

    @Test
    void gracefulClose_letsTheInFlightRequestFinish() throws Exception {
        upstream.delay(500);
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(proxy.uri().resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
        while (upstream.seen().isEmpty()) {
            Thread.onSpinWait();
        }
        proxy.close();
        assertThat(inFlight.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
}
