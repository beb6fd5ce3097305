package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.allowlist.HostAllowlist;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Status;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.redact.Redactor;

import javax.net.ssl.SSLException;
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

/**
 * {@code doctor --dry-run URL}: sends one read-only MLflow call ({@code experiments/search} with
 * {@code max_results=1}) with the credential and says whether the server accepts it. Redirects are
 * never followed, so the credential cannot travel to another host.
 */
final class DryRun {
    static final String PROBE_PATH = "api/2.0/mlflow/experiments/search?max_results=1";

    private DryRun() {
    }

    static URI probeUri(URI base) {
        String s = base.toString();
        return URI.create((s.endsWith("/") ? s : s + "/") + PROBE_PATH);
    }

    static Check run(URI base, HeaderSnapshot snapshot, HostAllowlist allowlist) {
        Check c = new Check("Dry-run test (" + base + ")", Status.OK);
        String authority = base.getRawAuthority();
        if (!allowlist.allows(base)) {
            c.detail("Host check", authority + " is not allowed");
            c.detail("Allowed", String.join(", ", allowlist.patterns()));
            return c.status(Status.FAIL).error("host not in allowlist: " + authority)
                    .solution("add it to " + ConfigKeys.ALLOWED_HOSTS + ", or check the URL");
        }
        c.detail("Host check", authority + (allowlist.isRestricted() ? " allowed" : " allowed (no allowlist set)"));
        URI probe = probeUri(base);
        c.detail("Request", "GET " + probe.getRawPath() + "?" + probe.getRawQuery());
        c.detail("Auth header", snapshot.headerName() + ": " + snapshot.maskedValue());
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(15))
                .header(snapshot.headerName(), snapshot.headerValue()).header("Accept", "application/json").GET().build();
        HttpResponse<Void> resp;
        String hostPort = HostAllowlist.hostOf(base).orElse("?") + ":" + HostAllowlist.effectivePort(base);
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (HttpConnectTimeoutException e) {
            return c.status(Status.FAIL).error("connecting to " + hostPort + " timed out").solution("check the URL and the network");
        } catch (ConnectException e) {
            return c.status(Status.FAIL).error("cannot connect to " + hostPort + " (connection refused)")
                    .solution("check the URL and that the MLflow server (or its proxy) is running");
        } catch (HttpTimeoutException e) {
            return c.status(Status.FAIL).error(hostPort + " did not answer within 15 s").solution("check the server's health");
        } catch (SSLException e) {
            return c.status(Status.FAIL).error("TLS with " + hostPort + " failed (" + Redactor.oneLine(e.getMessage(), 120) + ")")
                    .solution("check the server's certificate, or trust its CA");
        } catch (IOException e) {
            if (e.getCause() instanceof UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
                return c.status(Status.FAIL).error("cannot resolve " + hostPort).solution("check the host name and DNS");
            }
            return c.status(Status.FAIL).error("request to " + hostPort + " failed (" + e.getClass().getSimpleName() + ")")
                    .solution("check the URL and the network");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return c.status(Status.FAIL).error("interrupted");
        }
        int status = resp.statusCode();
        c.detail("Response", String.valueOf(status));
        if (status >= 200 && status < 300) {
            return c.detail("Result", "the server accepted the credential");
        }
        c.status(Status.FAIL);
        return switch (status) {
            case 401 -> c.error("MLflow authentication error (HTTP 401): Invalid credentials")
                    .solution("verify the username/password or token in the secret; check whether the credential expired; "
                            + "ensure the auth mode (MLFLOW_<PROVIDER>_AUTH_MODE) and " + ConfigKeys.HEADER_NAME + " match what the server expects");
            case 403 -> c.error("MLflow authentication error (HTTP 403): Access forbidden")
                    .solution("check that the credential has permission on this MLflow server, and the server's configuration");
            case 404 -> c.error("no MLflow API at " + probe.getRawPath() + " (HTTP 404)")
                    .solution("check the URL, including any path prefix such as https://host/mlflow");
            default -> {
                if (status >= 300 && status < 400) {
                    String loc = resp.headers().firstValue("Location").map(l -> Redactor.oneLine(l, 200)).orElse("?");
                    yield c.error("the server redirected to " + loc + " (HTTP " + status + "); redirects are not followed, so "
                            + "credentials never leave the allowed host").solution("use the final URL (often https:// or a trailing path)");
                }
                yield c.error("the server answered HTTP " + status).solution(status >= 500 ? "check the MLflow server's logs"
                        : "check the URL");
            }
        };
    }
}
