package io.github.mlflowsecretsauth.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RecordedCall;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 4c: hostile requests over raw sockets ({@code corpus/requests.jsonl}): absolute-form targets,
 * CONNECT, Host spoofing, oversized headers, request smuggling, obs-fold, bare LF and more, each with its
 * expected status (or a closed connection), nothing forwarded upstream unless the case says so, and no
 * credential in any answer. Then slowloris clients and 1,000 idle connections. A legitimate client
 * calls the proxy in a loop the whole time and must never fail.
 */
class HostileRequestsTest {
    private static final AtomicInteger CASES = new AtomicInteger();
    private static VaultServer vault;
    private static MlflowServer mlflow;
    private static SecretsAuth auth;
    private static AuthProxy proxy;
    private static LegitClientLoop legit;

    @BeforeAll
    static void start() {
        vault = VaultServer.builder().start();
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        mlflow = MlflowServer.builder().start();
        auth = SecretsAuth.builder().settings(Settings.builder().setAll(Stack.vaultSettings(vault.address(), vault.rootToken()))
                .build()).build();
        proxy = AuthProxy.builder(auth, mlflow.uri()).idleTimeout(Duration.ofSeconds(3)).start();
        legit = new LegitClientLoop(proxy.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        legit.close();
        List<String> paths = mlflow.calls().stream().map(RecordedCall::path).toList();
        Results.of("hostile-input/requests").put("cases", CASES.get()).put("legitCallsOk", legit.ok.sum())
                .put("legitCallsFailed", legit.failed.sum()).put("smuggledRequestsSeenUpstream",
                        paths.stream().filter(p -> p.contains("smuggled")).count()).record();
        assertThat(legit.failed.sum()).as("legitimate calls that failed: %s", legit.failures).isZero();
        assertThat(paths).noneMatch(p -> p.contains("smuggled"));
        proxy.close();
        auth.close();
        mlflow.close();
        vault.close();
    }

    /** Sends raw bytes; returns the status code, or -1 if the proxy closed the connection without an answer. */
    static int exchange(byte[] raw, StringBuilder answer) throws IOException {
        try (Socket s = new Socket(proxy.uri().getHost(), proxy.port())) {
            s.setSoTimeout((int) Duration.ofMinutes(1).toMillis()); // a safety net only
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw);
                out.flush();
            } catch (SocketException e) {
                // the proxy may answer and close before reading everything (oversized headers)
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                    String text = got.toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    if (end > 0 && complete(text, end)) {
                        break;
                    }
                }
            } catch (SocketException | SocketTimeoutException e) {
                // reset by the proxy after its answer
            }
            String text = got.toString(StandardCharsets.ISO_8859_1);
            answer.append(text);
            if (!text.startsWith("HTTP/1.")) {
                return -1;
            }
            return Integer.parseInt(text.substring(9, 12));
        }
    }

    private static boolean complete(String text, int headerEnd) {
        String head = text.substring(0, headerEnd).toLowerCase(java.util.Locale.ROOT);
        int cl = head.indexOf("content-length:");
        if (cl < 0) {
            return !head.contains("transfer-encoding: chunked") || text.endsWith("0\r\n\r\n");
        }
        int eol = head.indexOf("\r\n", cl);
        long length = Long.parseLong(head.substring(cl + 15, eol < 0 ? head.length() : eol).strip());
        return text.length() - headerEnd - 4 >= length;
    }

    @TestFactory
    Stream<DynamicTest> corpus() {
        List<JsonNode> cases = Corpus.load("requests.jsonl");
        assertThat(cases).hasSizeGreaterThan(50);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.get("id").asText(), () -> run(c)));
    }

    private static void run(JsonNode c) throws Exception {
        String id = c.get("id").asText();
        byte[] raw = c.get("raw").asText().getBytes(StandardCharsets.ISO_8859_1);
        List<String> allowed = new ArrayList<>();
        if (c.get("status").isArray()) {
            c.get("status").forEach(n -> allowed.add(n.asText()));
        } else {
            allowed.add(c.get("status").asText());
        }
        int upstreamBefore = upstreamRequests();
        StringBuilder answer = new StringBuilder();
        int status = exchange(raw, answer);
        String outcome = status < 0 ? "closed" : String.valueOf(status);
        assertThat(allowed).as("%s: got %s", id, outcome).contains(outcome);
        assertThat(Canary.in(answer.toString())).as("%s: the credential is in the answer", id).isFalse();
        if (!c.path("reachesUpstream").asBoolean(false)) {
            assertThat(upstreamRequests()).as("%s: forwarded upstream", id).isEqualTo(upstreamBefore);
        }
        CASES.incrementAndGet();
    }

    /** Upstream requests other than the legitimate client's (a GET of experiments/search). */
    private static int upstreamRequests() {
        return (int) mlflow.calls().stream().filter(call -> !(call.method().equals("GET")
                && call.path().equals("/api/2.0/mlflow/experiments/search") && "max_results=1".equals(call.query()))).count();
    }

    @Test
    void slowlorisAndAThousandIdleConnections_areHeld_andClosedAtTheIdleTimeout_whileTheLegitimateClientIsServed() throws Exception {
        int idle = Scale.current().idleConnections();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < idle; i++) {
                sockets.add(new Socket(proxy.uri().getHost(), proxy.port()));
            }
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket(proxy.uri().getHost(), proxy.port());
                s.getOutputStream().write("GET /api/2.0/mlflow/experiments/search HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            sockets.addAll(slow);
            legit.awaitMoreSuccesses(100);
            assertThat(legit.failed.sum()).as("legitimate failures: %s", legit.failures).isZero();
            int closedByProxy = 0;
            for (Socket s : sockets) {
                s.setSoTimeout((int) Duration.ofMinutes(2).toMillis()); // the proxy's 3 s idle timeout closes them first
                try {
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    int n;
                    do {
                        n = in.read(buf); // a 408 may come first for a half-sent request
                    } while (n > 0);
                    closedByProxy++;
                } catch (SocketException e) {
                    closedByProxy++;
                }
            }
            legit.awaitMoreSuccesses(20);
            Results.of("hostile-input/slowloris-and-idle").put("idleConnections", idle).put("slowlorisConnections", slow.size())
                    .put("closedByTheProxyAtIdleTimeout", closedByProxy).put("legitCallsOkSoFar", legit.ok.sum())
                    .put("legitCallsFailed", legit.failed.sum()).record();
            assertThat(closedByProxy).isEqualTo(sockets.size());
            assertThat(legit.failed.sum()).isZero();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
