package io.github.mlflowsecretsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The total deadline over real sockets: a stalled exchange ends within the deadline plus a small slack. */
class DeadlineHttpTest {
    static final Duration DEADLINE = Duration.ofSeconds(1);
    static final long SLACK_MS = 1_500;
    private VaultServer vault;
    private DeadlineHttp http;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        http = new DeadlineHttp(HttpClient.newBuilder().connectTimeout(DeadlineHttp.connectTimeout(DEADLINE)).build(), DEADLINE,
                "Vault at " + vault.address());
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private HttpRequest.Builder read() {
        return HttpRequest.newBuilder(vault.address().resolve("/v1/secret/data/mlflow/auth")).header("X-Vault-Token", vault.rootToken());
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledExchange_isAbandonedAtTheDeadline_withOneLineNamingTheBackendAndTheSetting(StallMode mode) throws Exception {
        vault.putSecret("secret/mlflow/auth", Map.of("token", "deadline-canary-secret"));
        vault.stalls().stall(mode, "/v1/secret/");
        long start = System.nanoTime();
        assertThatThrownBy(() -> http.send(read())).isInstanceOf(HttpTimeoutException.class)
                .hasMessage("Vault at " + vault.address() + " did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)");
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("DeadlineHttp %s: abandoned after %d ms (deadline %d ms)%n", mode, ms, DEADLINE.toMillis());
        assertThat(ms).isBetween(DEADLINE.toMillis() - 50, DEADLINE.toMillis() + SLACK_MS);
        assertThat(vault.stalls().stalledCount()).isEqualTo(1);
    }

    @Test
    void theAbandonedConnection_isClosedByTheClient() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
            DeadlineHttp raw = new DeadlineHttp(HttpClient.newHttpClient(), DEADLINE, "a raw server");
            java.util.concurrent.CompletableFuture<Throwable> client = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    raw.send(HttpRequest.newBuilder(uri));
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            server.setSoTimeout(5_000);
            try (java.net.Socket s = server.accept()) {
                s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"half\":".getBytes());
                s.getOutputStream().flush();
                assertThat(client.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(HttpTimeoutException.class);
                s.setSoTimeout(5_000); // a socket event: the client's close arrives as EOF (or a reset)
                int read;
                try {
                    byte[] buf = new byte[8192];
                    do {
                        read = s.getInputStream().read(buf);
                    } while (read > 0);
                } catch (java.net.SocketException reset) {
                    read = -1;
                }
                assertThat(read).isEqualTo(-1);
            }
        }
    }

    @Test
    void aNormalAnswer_isReadWhole() throws Exception {
        vault.putSecret("secret/mlflow/auth", Map.of("token", "t"));
        assertThat(http.send(read()).body()).contains("\"token\":\"t\"");
    }

    @Test
    void anAnswerOverTheCap_failsWithOneLine_withoutTheBody() {
        vault.putSecret("secret/mlflow/auth", Map.of("token", "x".repeat(DeadlineHttp.MAX_BODY_BYTES + 10)));
        assertThatThrownBy(() -> http.send(read())).isInstanceOf(IOException.class)
                .hasMessage("Vault at " + vault.address() + " sent an answer larger than 1048576 bytes");
    }

    @Test
    void aRefusedConnection_namesTheBackendAndTheAddressSetting() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DeadlineHttp closed = new DeadlineHttp(HttpClient.newHttpClient(), DEADLINE, "Vault at http://127.0.0.1:" + port);
        IOException e = null;
        try {
            closed.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/sys/health")));
        } catch (IOException io) {
            e = io;
        }
        BackendUnavailableException mapped = closed.unavailable(e, "VAULT_ADDR", "VAULT_CACERT");
        assertThat(mapped.getMessage()).isEqualTo("cannot connect to Vault at http://127.0.0.1:" + port
                + " (connection refused): check VAULT_ADDR and that the server is running");
        assertThat(mapped.isTransient()).isTrue();
    }

    @Test
    void aDeadlineMustBePositive() {
        assertThatThrownBy(() -> new DeadlineHttp(HttpClient.newHttpClient(), Duration.ZERO, "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
