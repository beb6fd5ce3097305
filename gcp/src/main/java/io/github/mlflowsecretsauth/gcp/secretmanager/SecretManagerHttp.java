package io.github.mlflowsecretsauth.gcp.secretmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.gcp.GcpConfigKeys;
import io.github.mlflowsecretsauth.internal.HttpAnswers;
import io.github.mlflowsecretsauth.redact.Redactor;
import io.github.mlflowsecretsauth.tls.TlsContexts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * The one Secret Manager call, {@code GET .../versions/V:access}, over the JDK {@link HttpClient}: a
 * bearer token, JSON back, redirects never followed (the token must not reach another host), the
 * CAs of {@code MLFLOW_GCP_CA_BUNDLE} trusted when set. Network and TLS failures become
 * {@link BackendUnavailableException}s naming the endpoint. Thread-safe.
 */
final class SecretManagerHttp {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, parsed body ({@link MissingNode} when not JSON), and {@code Retry-After}. */
    record Response(int status, JsonNode body, Optional<Duration> retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client;
    private final String endpoint;

    SecretManagerHttp(SecretManagerConfig config) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER);
        config.caBundle().ifPresent(ca -> b.sslContext(TlsContexts.trusting(ca, GcpConfigKeys.CA_BUNDLE)));
        this.client = b.build();
        this.endpoint = config.endpoint().toString();
    }

    Response get(URI uri, String accessToken) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken).GET().build();
        HttpResponse<String> resp;
        try {
            resp = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException e) {
            throw unavailable("connecting to Secret Manager at " + endpoint + " timed out: check the network and " + GcpConfigKeys.ENDPOINT, e, true);
        } catch (ConnectException e) {
            throw unavailable("cannot connect to Secret Manager at " + endpoint + " (connection refused): check " + GcpConfigKeys.ENDPOINT
                    + " and the network", e, true);
        } catch (HttpTimeoutException e) {
            throw unavailable("Secret Manager at " + endpoint + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s", e, true);
        } catch (SSLException e) {
            throw unavailable("TLS with Secret Manager at " + endpoint + " failed (" + Redactor.oneLine(String.valueOf(e.getMessage()), 120)
                    + "): set " + GcpConfigKeys.CA_BUNDLE + " to the CA that signed the endpoint's certificate", e, false);
        } catch (IOException e) {
            if (e.getCause() instanceof UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
                throw unavailable("cannot resolve the host of Secret Manager (" + endpoint + "): check " + GcpConfigKeys.ENDPOINT
                        + " and DNS", e, true);
            }
            throw unavailable("talking to Secret Manager at " + endpoint + " failed (" + e.getClass().getSimpleName() + ")", e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted while talking to Secret Manager at " + endpoint, e, false);
        }
        return new Response(resp.statusCode(), HttpAnswers.jsonOrMissing(JSON, resp.body()), HttpAnswers.retryAfter(resp));
    }

    String endpoint() {
        return endpoint;
    }

    private static BackendUnavailableException unavailable(String msg, Exception cause, boolean transientFailure) {
        return new BackendUnavailableException(msg, cause, transientFailure, null);
    }
}
