package io.github.mlflowsecretsauth.gcp.idtoken;

import static io.github.mlflowsecretsauth.gcp.idtoken.IdTokenFixtures.AUDIENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.testkit.gcp.IapGate;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minted token in front of a check that is not the provider's: a testkit MLflow server behind an IAP-style gate
 * that verifies the Google signature, the audience and the expiry by its own clock. The right token passes (in
 * {@code Authorization} or {@code Proxy-Authorization}); a token for another audience, and a token past its
 * {@code exp}, are refused; the engine's refresh ahead of expiry keeps every call passing across lifetimes.
 */
class GcpIdTokenIapTest {
    /** Jetty's client, like the proxy's: the JDK client drops a {@code Proxy-Authorization} header on direct connections. */
    private final HttpClient http = new HttpClient();
    @TempDir
    Path dir;
    private IdTokenFixtures gcp;
    private MlflowServer mlflow;
    private IapGate iap;

    @BeforeEach
    void start() throws Exception {
        http.start();
        http.getProtocolHandlers().clear(); // a 401 is an answer to read here, not a challenge to answer
        gcp = new IdTokenFixtures(dir, Duration.ofSeconds(60));
        iap = new IapGate(gcp.server.idTokenKey(), AUDIENCE, gcp.clock);
        mlflow = MlflowServer.builder().gate(iap).start();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        mlflow.close();
        gcp.close();
    }

    private URI search() {
        return mlflow.uri().resolve("/api/2.0/mlflow/experiments/search?max_results=1");
    }

    private int call(Map<String, String> headers) throws Exception {
        Request r = http.newRequest(search()).timeout(10, java.util.concurrent.TimeUnit.SECONDS);
        r.headers(h -> headers.forEach(h::put));
        return r.send().getStatus();
    }

    private Map<String, String> settings(String... more) {
        String[] all = new String[more.length + 2];
        all[0] = "MLFLOW_SECRETS_ALLOWED_HOSTS";
        all[1] = mlflow.uri().getHost();
        System.arraycopy(more, 0, all, 2, more.length);
        return gcp.settings(all);
    }

    @Test
    void theRightToken_passes_inAuthorizationAndInProxyAuthorization_acrossLifetimes() throws Exception {
        try (SecretsAuth auth = gcp.engine(settings())) {
            for (int step = 0; step < 18; step++) { // 18 x 10 s: three 60 s lifetimes
                assertThat(call(auth.headersFor(search()))).isEqualTo(200);
                gcp.scheduler.advance(Duration.ofSeconds(10));
            }
        }
        try (SecretsAuth auth = gcp.engine(settings("MLFLOW_AUTH_HEADER_NAME", "Proxy-Authorization"))) {
            assertThat(call(auth.headersFor(search()))).isEqualTo(200);
        }
        assertThat(iap.refused()).isZero();
        assertThat(iap.accepted()).isEqualTo(19);
    }

    @Test
    void aTokenForAnotherAudience_andAnExpiredToken_areRefusedByTheGate() throws Exception {
        try (SecretsAuth auth = gcp.engine(settings("MLFLOW_GCP_ID_TOKEN_AUDIENCE", "https://other-service-uc.a.run.app"))) {
            assertThat(call(auth.headersFor(search()))).isEqualTo(401);
        }
        try (SecretsAuth auth = gcp.engine(settings())) {
            Map<String, String> headers = auth.headersFor(search());
            assertThat(call(headers)).isEqualTo(200);
            gcp.clock.advance(Duration.ofSeconds(61)); // the gate's clock, past exp; the same header replayed
            assertThat(call(headers)).isEqualTo(401);
        }
        assertThat(iap.refused()).isEqualTo(2);
        assertThat(call(Map.of())).isEqualTo(401);
    }
}
