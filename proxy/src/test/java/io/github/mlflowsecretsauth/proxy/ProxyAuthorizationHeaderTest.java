package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Google IAP takes its ID token as {@code Proxy-Authorization} when the app keeps {@code Authorization} for itself
 * ({@code MLFLOW_AUTH_HEADER_NAME=Proxy-Authorization}). Jetty's proxy treats that name as hop-by-hop, so this checks
 * that the credential still reaches the upstream, and that a client's own value of it never does.
 */
class ProxyAuthorizationHeaderTest {
    private TestUpstream upstream;
    private AuthProxy proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theCredentialGoesUpstreamAsProxyAuthorization_andTheClientsOwnAuthorizationStays() throws Exception {
        upstream = new TestUpstream("Bearer iap-id-token");
        upstream.credentialHeader("Proxy-Authorization");
        SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder().setAll(Map.of(
                "MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_TOKEN", "iap-id-token",
                "MLFLOW_AUTH_HEADER_NAME", "Proxy-Authorization", "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1")).build()).build();
        proxy = AuthProxy.builder(auth, upstream.uri()).start();

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        proxy.uri().resolve("/api/2.0/mlflow/experiments/search"))
                .header("Authorization", "Bearer the-apps-own-token").timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        TestUpstream.Seen seen = upstream.seen().get(0);
        assertThat(seen.header("Proxy-Authorization")).isEqualTo("Bearer iap-id-token");
        assertThat(seen.header("Authorization")).as("the app's own header is the app's").isEqualTo("Bearer the-apps-own-token");
    }
}
