package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MlflowAuthenticationException;
import io.github.mlflowsecretsauth.mlflow.internal.EmbeddedProxy;
import io.github.mlflowsecretsauth.redact.Redactor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The set-up check behind {@code validate} (the seed's {@code validate=True}): one read-only call,
 * {@code experiments/search?max_results=1}, through the embedded proxy, so the credential, the
 * refresh and the replay are exactly those of later calls. Fails fast with the seed's messages.
 */
public final class ServerProbes {
    private ServerProbes() {
    }

    /** Probes {@code server} through the embedded {@code proxy}, sending its client token; throws on failure. */
    public static void check(EmbeddedProxy proxy, URI server) {
        check(proxy.uri(), proxy.authorization(), server);
    }

    /**
     * Probes {@code server} through the proxy at {@code proxyUri} ({@code exec}'s, or the library's embedded one),
     * sending {@code authorization} (the proxy's client token); throws on failure.
     */
    public static void check(URI proxyUri, String authorization, URI server) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(proxyUri + "/api/2.0/mlflow/experiments/search?max_results=1"))
                    .header("Authorization", authorization).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new BackendUnavailableException("the MLflow server at " + server.getRawAuthority() + " did not answer within 30 s", e);
        } catch (ConnectException e) {
            throw new BackendUnavailableException("cannot connect to the MLflow server's proxy (" + e.getClass().getSimpleName() + ")", e);
        } catch (IOException e) {
            throw new BackendUnavailableException("validating the MLflow server at " + server.getRawAuthority() + " failed ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendUnavailableException("interrupted while validating the MLflow server", e);
        }
        int status = r.statusCode();
        if (status == 401 || status == 403) {
            String msg = Redactor.oneLine(r.body(), 600);
            int at = msg.indexOf("MLflow authentication error");
            throw new MlflowAuthenticationException(status, at >= 0 ? msg.substring(at).replaceFirst("\"}$", "")
                    : (status == 401 ? "MLflow authentication error (HTTP 401): Invalid credentials"
                    : "MLflow authentication error (HTTP 403): Access forbidden"));
        }
        if (status == 502) {
            throw new BackendUnavailableException("the MLflow server at " + server.getRawAuthority() + " could not be reached, "
                    + "or no credential could be fetched: " + Redactor.oneLine(r.body(), 400), null, false, null);
        }
        if (status == 400 && r.body().contains("\"CLIENT_CERTIFICATE_")) { // the proxy's reading of an mTLS refusal
            String msg = Redactor.oneLine(r.body(), 800);
            int at = msg.indexOf("the MLflow server at");
            throw new io.github.mlflowsecretsauth.error.ConfigurationException(
                    at >= 0 ? msg.substring(at).replaceFirst("\"}$", "") : "the MLflow server refused the client certificate");
        }
        if (status < 200 || status >= 300) {
            throw new BackendUnavailableException("the MLflow server at " + server.getRawAuthority() + " answered HTTP " + status
                    + " to experiments/search: check the tracking URI (and any path prefix)", null, false, null);
        }
    }

}
