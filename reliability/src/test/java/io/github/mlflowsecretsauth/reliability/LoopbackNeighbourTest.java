package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.mlflow.AuthenticatedMlflowClient;
import io.github.mlflowsecretsauth.mlflow.SecretsAuthHostCredsProvider;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scenario 2 and 5: hostile neighbours on the same machine. (a) While the official MLflow client works through the
 * library's embedded proxy, other local processes hammer that proxy without its per-run token (none, guessed, the
 * MLflow credential itself, on the API and on the proxy's own endpoints): every one gets 401 and no credential, and
 * the MLflow server sees only the client's calls. (b) A browser page from another site posts to the proxy: 403.
 * (c) The MLflow UI used through a proxy at its own origin keeps working. (d) A redirect to another server reaches it
 * with neither the credential nor the proxy token, through both {@code mlflowClient()} and
 * {@code hostCredsProvider()}. Raw HTTP over real sockets against the testkit Vault and MLflow servers.
 */
class LoopbackNeighbourTest {
    private static final int NEIGHBOUR_THREADS = 8;

    private VaultServer vault;
    private MlflowServer mlflow;
    private MlflowServer elsewhere;
    private SecretsAuth engine;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        vault.putSecret(Stack.SECRET_PATH, java.util.Map.of("token", Canary.token(0)));
        mlflow = MlflowServer.builder().start();
        elsewhere = MlflowServer.builder().start();
        engine = SecretsAuth.builder().settings(Settings.builder().setAll(Stack.vaultSettings(vault.address(), vault.rootToken()))
                .build()).build();
    }

    @AfterEach
    void stop() {
        engine.close();
        elsewhere.close();
        mlflow.close();
        vault.close();
    }

    /** One raw request on its own connection; the whole answer. */
    static String exchange(int port, String method, String target, List<String> headers, String body) throws Exception {
        StringBuilder r = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n");
        headers.forEach(h -> r.append(h).append("\r\n"));
        if (body != null) {
            r.append("Content-Type: application/json\r\nContent-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n");
        }
        r.append("\r\n").append(body == null ? "" : body);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(60_000); // a safety net only: every answer comes in milliseconds
            OutputStream out = s.getOutputStream();
            out.write(r.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int status(String answer) {
        return answer.startsWith("HTTP/1.") ? Integer.parseInt(answer.substring(9, 12)) : -1;
    }

    /** What a neighbour tries: each with a method, a target, its headers and a body. */
    private record Probe(String method, String target, List<String> headers, String body) {
    }

    private static List<Probe> probes() {
        byte[] guess = new byte[32];
        new SecureRandom().nextBytes(guess);
        String guessed = "Authorization: Bearer " + Base64.getUrlEncoder().withoutPadding().encodeToString(guess);
        String search = "/api/2.0/mlflow/experiments/search?max_results=1";
        return List.of(
                new Probe("GET", search, List.of(), null),
                new Probe("POST", "/api/2.0/mlflow/experiments/create", List.of(), "{\"name\":\"neighbour\"}"),
                new Probe("GET", "/__mlflow-secrets-auth/health", List.of(), null),
                new Probe("GET", "/__mlflow-secrets-auth/metrics", List.of(), null),
                new Probe("POST", "/__mlflow-secrets-auth/cache/clear", List.of(), ""),
                new Probe("GET", search, List.of(guessed), null),
                new Probe("GET", search, List.of("Authorization: Bearer " + Canary.token(0)), null),
                new Probe("GET", search, List.of("Authorization: Basic dXNlcjpwYXNz"), null),
                new Probe("GET", search, List.of("Authorization: Bearer"), null));
    }

    @Test
    void neighboursWithoutTheToken_get401AndNoCredential_whileTheClientWorks() throws Exception {
        int neighbourRequests = Scale.current().rotationCalls() / 10;
        LongAdder refused = new LongAdder();
        LongAdder leaked = new LongAdder();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        int clientCalls = 0;
        long started = System.nanoTime();
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            int port = ((AuthenticatedMlflowClient) client).proxy().port();
            List<Probe> probes = probes();
            ExecutorService neighbours = Executors.newFixedThreadPool(NEIGHBOUR_THREADS);
            try {
                List<Future<?>> sent = new java.util.ArrayList<>();
                for (int i = 0; i < neighbourRequests; i++) {
                    Probe p = probes.get(i % probes.size());
                    sent.add(neighbours.submit(() -> {
                        String answer = exchange(port, p.method(), p.target(), p.headers(), p.body());
                        if (status(answer) == 401 && answer.contains("client token")) {
                            refused.increment();
                        } else {
                            unexpected.add(p.method() + " " + p.target() + " -> " + answer.lines().findFirst().orElse("closed"));
                        }
                        if (Canary.in(answer)) {
                            leaked.increment();
                        }
                        return null;
                    }));
                }
                // The client's own work, meanwhile: one experiment, one run, metrics until the neighbours are done.
                String experiment = client.createExperiment("neighbours");
                RunInfo run = client.createRun(experiment);
                clientCalls = 2;
                for (int step = 0; step < 20 || !sent.stream().allMatch(Future::isDone); step++) {
                    client.logMetric(run.getRunId(), "loss", 1.0 / (step + 1), System.currentTimeMillis(), step);
                    clientCalls++;
                }
                for (Future<?> f : sent) {
                    f.get(5, TimeUnit.MINUTES); // bounded: each probe is one loopback round trip
                }
            } finally {
                neighbours.shutdownNow();
            }
        }
        List<RecordedCall> seen = mlflow.calls();
        Results.of("loopback-neighbour/embedded-proxy").put("neighbourRequests", neighbourRequests)
                .put("refused401", refused.sum()).put("answersWithCredential", leaked.sum())
                .put("clientCallsOk", clientCalls).put("upstreamCallsSeen", seen.size())
                .put("upstreamCallsNotFromTheClient", seen.size() - clientCalls)
                .put("seconds", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9)).record();
        assertThat(unexpected).as("neighbour requests not refused with 401").isEmpty();
        assertThat(refused.sum()).isEqualTo(neighbourRequests);
        assertThat(leaked.sum()).as("answers to neighbours that carried the credential").isZero();
        assertThat(seen).as("the MLflow server saw the client's calls only").hasSize(clientCalls)
                .allSatisfy(c -> assertThat(c.header("Authorization")).contains("Bearer " + Canary.token(0)));
        assertThat(seen).noneMatch(c -> c.path().contains("neighbour") || c.path().startsWith("/__mlflow-secrets-auth"));
    }

    @Test
    void aCrossSitePageIsRefused_andTheUiAtTheProxysOwnOriginWorks() throws Exception {
        String own;
        int refused = 0;
        int uiOk = 0;
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            int port = ((AuthenticatedMlflowClient) client).proxy().port();
            // (b) a page on http://evil.example posts to the library's proxy: refused before the token is even looked at
            String answer = exchange(port, "POST", "/api/2.0/mlflow/experiments/create",
                    List.of("Origin: http://evil.example", "Sec-Fetch-Site: cross-site"), "{\"name\":\"csrf\"}");
            assertThat(status(answer)).isEqualTo(403);
            assertThat(answer).contains("\"error_code\":\"PROXY_REFUSED\"");
            assertThat(Canary.in(answer)).isFalse();
            refused++;
        }
        try (AuthProxy ui = AuthProxy.builder(engine, mlflow.uri()).start()) { // the standalone proxy a browser uses
            int port = ui.port();
            own = "Origin: http://127.0.0.1:" + port;
            for (String[] c : new String[][] {
                    {"POST", "/ajax-api/2.0/mlflow/experiments/create", "Origin: http://evil.example"},
                    {"POST", "/ajax-api/2.0/mlflow/experiments/create", "Sec-Fetch-Site: cross-site"},
                    {"DELETE", "/api/2.0/mlflow-artifacts/artifacts/1/x", "Origin: http://127.0.0.1:1"},
                    {"GET", "/__mlflow-secrets-auth/health", "Sec-Fetch-Site: cross-site"},
                    {"POST", "/__mlflow-secrets-auth/cache/clear", "Origin: http://evil.example"}}) {
                String a = exchange(port, c[0], c[1], List.of(c[2]), c[0].equals("POST") ? "{\"name\":\"csrf\"}" : null);
                assertThat(status(a)).as(String.join(" ", c)).isEqualTo(403);
                assertThat(Canary.in(a)).isFalse();
                refused++;
            }
            // (c) the UI at the proxy's own origin: the page, then its own API calls
            String page = exchange(port, "GET", "/", List.of("Sec-Fetch-Site: none", "Sec-Fetch-Mode: navigate"), null);
            assertThat(status(page)).isNotEqualTo(403);
            uiOk++;
            String created = exchange(port, "POST", "/ajax-api/2.0/mlflow/experiments/create",
                    List.of(own, "Sec-Fetch-Site: same-origin", "Sec-Fetch-Mode: cors"), "{\"name\":\"from-the-ui\"}");
            assertThat(status(created)).isEqualTo(200);
            uiOk++;
            String listed = exchange(port, "GET", "/ajax-api/2.0/mlflow/experiments/search?max_results=10",
                    List.of("Sec-Fetch-Site: same-origin"), null);
            assertThat(listed).startsWith("HTTP/1.1 200").contains("from-the-ui");
            uiOk++;
        }
        assertThat(mlflow.experimentByName("from-the-ui")).isPresent();
        assertThat(mlflow.experimentByName("csrf")).isEmpty();
        Results.of("loopback-neighbour/browser").put("crossSiteRefused403", refused).put("sameOriginUiCallsOk", uiOk)
                .put("crossSiteRequestsSeenUpstream", mlflow.calls().stream().filter(c -> c.body() != null
                        && c.body().toString().contains("csrf")).count()).record();
    }

    @Test
    void aRedirectToAnotherServer_carriesNeitherTheCredentialNorTheProxyToken() throws Exception {
        mlflow.redirectNext(1_000, elsewhere.uri() + "/api/2.0/mlflow/experiments/get?experiment_id=0", 302);
        int refused = 0;
        try (MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            assertThatThrownBy(() -> client.getExperiment("0")).hasMessageContaining("REDIRECT_REFUSED");
            refused++;
        }
        SecretsAuthHostCredsProvider provider = (SecretsAuthHostCredsProvider) MlflowSecretsAuth.hostCredsProvider(engine,
                mlflow.uri().toString());
        String token = provider.getHostCreds().getToken();
        try (MlflowClient client = new MlflowClient(provider)) {
            assertThatThrownBy(() -> client.getExperiment("0")).hasMessageContaining("REDIRECT_REFUSED");
            refused++;
        } finally {
            provider.close();
        }
        List<RecordedCall> there = elsewhere.calls();
        Results.of("loopback-neighbour/redirect").put("redirectsRefused", refused).put("upstreamRedirects", mlflow.requestCount())
                .put("requestsReachingTheOtherServer", there.size()).record();
        assertThat(there).as("the other server saw nothing, so neither the credential nor the token").isEmpty();
        assertThat(mlflow.calls()).noneMatch(c -> c.header("Authorization").orElse("").contains(token));
        assertThat(URI.create(provider.getHostCreds().getHost()).getHost()).isEqualTo("127.0.0.1");
    }
}
