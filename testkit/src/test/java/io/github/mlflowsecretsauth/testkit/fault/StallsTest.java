package io.github.mlflowsecretsauth.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stalls over a raw socket, so what is on the wire is seen byte for byte (a bounded wait for bytes that never come). */
class StallsTest {
    private static final int QUIET_MS = 700;
    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().start();
        vault.putSecret("secret/mlflow/auth", Map.of("token", "stalled-secret-value"));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void headersThenStall_sendsStatusHeadersAndHalfTheBody_thenStaysOpenAndSilent() throws IOException {
        vault.stalls().stall(StallMode.HEADERS_THEN_STALL, "/v1/secret/");
        try (Socket s = get("/v1/secret/data/mlflow/auth")) {
            String seen = readUntilQuiet(s.getInputStream());
            assertThat(seen).startsWith("HTTP/1.1 200 ").contains("Content-Length: ");
            int length = Integer.parseInt(seen.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
            String body = seen.substring(seen.indexOf("\r\n\r\n") + 4);
            assertThat(body.length()).isEqualTo(length / 2).isPositive();
            assertThat(s.isClosed()).isFalse();
        }
        assertThat(vault.stalls().stalledCount()).isEqualTo(1);
    }

    @Test
    void neverAnswer_readsTheRequestAndSendsNothing() throws IOException {
        vault.stalls().stall(StallMode.NEVER_ANSWER, "/");
        try (Socket s = get("/v1/sys/health")) {
            assertThat(readUntilQuiet(s.getInputStream())).isEmpty();
        }
    }

    @Test
    void stallNext_stallsOnlyThatManyMatchingRequests() throws IOException {
        vault.stalls().stallNext(1, StallMode.NEVER_ANSWER, "/v1/secret/");
        // One connection after the other: two open at once may be served in either order.
        try (Socket health = get("/v1/sys/health"); Socket first = get("/v1/secret/data/mlflow/auth")) {
            assertThat(readUntilQuiet(health.getInputStream())).startsWith("HTTP/1.1 200 ");
            assertThat(readUntilQuiet(first.getInputStream())).isEmpty();
            long until = System.nanoTime() + 10_000_000_000L; // the server has taken the first request (a socket event)
            while (vault.stalls().stalledCount() < 1 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(vault.stalls().stalledCount()).isEqualTo(1);
            try (Socket second = get("/v1/secret/data/mlflow/auth")) {
                assertThat(readUntilQuiet(second.getInputStream())).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void release_closesHeldConnections_andClearServesNewRequests() throws IOException {
        vault.stalls().stall(StallMode.NEVER_ANSWER, "/");
        try (Socket s = get("/v1/sys/health")) {
            assertThat(readUntilQuiet(s.getInputStream())).isEmpty();
            assertThat(vault.stalls().heldCount()).isEqualTo(1);
            vault.stalls().clear();
            vault.stalls().release();
            s.setSoTimeout(5_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = get("/v1/sys/health")) {
            assertThat(readUntilQuiet(s.getInputStream())).startsWith("HTTP/1.1 200 ");
        }
    }

    @Test
    void stallNext_refusesANegativeCount() {
        assertThatThrownBy(() -> vault.stalls().stallNext(-1, StallMode.NEVER_ANSWER, "/"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Socket get(String path) throws IOException {
        Socket s = new Socket("127.0.0.1", vault.port());
        s.setSoTimeout(QUIET_MS);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vault-Token: " + vault.rootToken() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    /** Everything that arrives until the line stays quiet for {@link #QUIET_MS}; fails on EOF (the server must not close). */
    private static String readUntilQuiet(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException quiet) {
                return seen.toString(StandardCharsets.UTF_8);
            }
            if (n < 0) {
                String text = seen.toString(StandardCharsets.UTF_8);
                if (text.startsWith("HTTP/1.1 ")) {
                    return text; // a normal answer may end with a close
                }
                throw new IOException("the server closed the connection after: " + text);
            }
            seen.write(buf, 0, n);
            if (complete(seen.toString(StandardCharsets.UTF_8))) {
                return seen.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /** A whole answer with a Content-Length has arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0 || !text.contains("Content-Length: ")) {
            return false;
        }
        int length = Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return text.length() - end - 4 >= length;
    }
}
