package io.github.mlflowsecretsauth.gcp.secretmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import io.github.mlflowsecretsauth.internal.DeadlineHttp;
import io.github.mlflowsecretsauth.internal.HttpAnswers;
import io.github.mlflowsecretsauth.internal.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The one Secret Manager call, {@code GET .../versions/V:access}, over the JDK {@link HttpClient}: a
 * bearer token, JSON back, redirects never followed (the token must not reach another host), the
 * CAs of {@code MLFLOW_GCP_CA_BUNDLE} trusted when set, one total deadline for connect, headers and body
 * ({@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}, {@link DeadlineHttp}). Network and TLS failures become
 * {@code BackendUnavailableException}s naming the endpoint. Thread-safe.
 */
final class SecretManagerHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, parsed body ({@link MissingNode} when not JSON), and {@code Retry-After}. */
    record Response(int status, JsonNode body, Optional<Duration> retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final DeadlineHttp http;
    private final String endpoint;

    SecretManagerHttp(SecretManagerConfig config, Duration fetchTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(DeadlineHttp.connectTimeout(fetchTimeout))
                .followRedirects(HttpClient.Redirect.NEVER);
        config.caBundle().ifPresent(ca -> b.sslContext(TlsContexts.trusting(ca, GcpConfigKeys.CA_BUNDLE)));
        this.endpoint = config.endpoint().toString();
        this.http = new DeadlineHttp(b.build(), fetchTimeout, "Secret Manager at " + endpoint);
    }

    Response get(URI uri, String accessToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken).GET();
        HttpResponse<String> resp;
        try {
            resp = http.send(request);
        } catch (IOException | InterruptedException e) {
            throw http.unavailable(e, GcpConfigKeys.ENDPOINT, GcpConfigKeys.CA_BUNDLE);
        }
        return new Response(resp.statusCode(), HttpAnswers.jsonOrMissing(JSON, resp.body()), HttpAnswers.retryAfter(resp));
    }

    String endpoint() {
        return endpoint;
    }
}
