package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests Jetty itself refuses get the proxy's JSON error with the status reason only, never an echo. */
class JsonErrorsTest {
    private static final String MARK = "echoMark7Q2x";
    private TestUpstream upstream;
    private SecretsAuth auth;
    private AuthProxy proxy;

    @BeforeEach
    void start() throws Exception {
        upstream = new TestUpstream("Bearer json-errors-token");
        auth = SecretsAuth.builder().settings(Settings.builder().setAll(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env",
                "MLFLOW_TRACKING_TOKEN", "json-errors-token", "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1")).build()).build();
        proxy = AuthProxy.builder(auth, upstream.uri()).start();
    }

    @AfterEach
    void stop() {
        proxy.close();
        auth.close();
        upstream.close();
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Bad: " + MARK + "\u0000tail\r\nConnection: close\r\n\r\n",
            "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Name" + MARK + ": v\r\nConnection: close\r\n\r\n",
            "GET /x" + MARK + "\u0001 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
            "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1" + MARK + "\r\nConnection: close\r\n\r\n"})
    void aRequestJettyRefuses_isAnsweredInJson_withoutEchoingIt(String request) throws Exception {
        String answer = raw(request);
        assertThat(answer).startsWith("HTTP/1.1 4");
        assertThat(answer).contains("application/json").contains("\"error_code\":\"BAD_REQUEST\"")
                .doesNotContain(MARK).doesNotContainIgnoringCase("<html");
        assertThat(upstream.seen()).isEmpty();
    }
}
