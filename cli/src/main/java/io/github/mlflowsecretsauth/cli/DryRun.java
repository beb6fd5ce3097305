package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.internal.Hosts;

import io.github.mlflowsecretsauth.allowlist.HostAllowlist;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Status;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.proxy.tls.UpstreamFailures;
import io.github.mlflowsecretsauth.proxy.tls.UpstreamTls;
import io.github.mlflowsecretsauth.redact.Redactor;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code doctor --dry-run URL}: sends one read-only MLflow call ({@code experiments/search} with
 * {@code max_results=1}) with the credential and says whether the server accepts it, over the same transport
 * as the proxy (its TLS settings, its failure messages). Redirects are never followed, so the credential
 * cannot travel to another host.
 */
final class DryRun {
    static final String PROBE_PATH = "api/2.0/mlflow/experiments/search?max_results=1";

    private DryRun() {
    }

    /** One GET on Jetty's client, as the proxy sends it: no redirects followed, 5 s to connect, 15 s in all. */
    private static ContentResponse send(URI probe, HeaderSnapshot snapshot, UpstreamTls tls)
            throws InterruptedException, ExecutionException, TimeoutException {
        HttpClient client = new HttpClient();
        client.setSslContextFactory(tls.newSslContextFactory());
        client.setFollowRedirects(false);
        client.setConnectTimeout(5_000);
        client.setUserAgentField(null);
        try {
            client.start();
            client.getProtocolHandlers().clear(); // a 401 is an answer to report, not a challenge to handle
            return client.newRequest(probe).method("GET").timeout(15, TimeUnit.SECONDS)
                    .headers(h -> h.put(snapshot.headerName(), snapshot.headerValue()).put("Accept", "application/json"))
                    .send();
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw e;
        } catch (Exception e) {
            throw new ExecutionException(e);
        } finally {
            try {
                client.stop();
            } catch (Exception ignored) {
                // stopping a client that failed to start
            }
        }
    }

    static URI probeUri(URI base) {
        String s = base.toString();
        return URI.create((s.endsWith("/") ? s : s + "/") + PROBE_PATH);
    }

    static Check run(URI base, HeaderSnapshot snapshot, HostAllowlist allowlist, Settings settings) {
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
        String hostPort = Hosts.hostOf(base).orElse("?") + ":" + Hosts.effectivePort(base);
        UpstreamTls tls;
        try {
            // The proxy's own transport: MLFLOW_TRACKING_CA_BUNDLE_PATH, the client certificate, INSECURE_TLS.
            tls = UpstreamTls.from(settings, base, Clock.systemUTC());
        } catch (ConfigurationException e) {
            return c.status(Status.FAIL).error(e.getMessage()).solution("fix the TLS setting it names");
        }
        UpstreamFailures failures = new UpstreamFailures(hostPort, tls, Clock.systemUTC());
        ContentResponse resp;
        try {
            resp = send(probe, snapshot, tls);
        } catch (ExecutionException e) {
            return c.status(Status.FAIL).error(failures.describe(e.getCause()))
                    .solution("check the URL, the network and the MLFLOW_TRACKING_* TLS settings");
        } catch (TimeoutException e) {
            return c.status(Status.FAIL).error(hostPort + " did not answer within 15 s").solution("check the server's health");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return c.status(Status.FAIL).error("interrupted");
        }
        int status = resp.getStatus();
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
            case 400 -> failures.nginxCertificateRejection(resp.getContentAsString())
                    .map(r -> c.error(r.message()).solution("see the message: the server's mutual TLS check failed"))
                    .orElseGet(() -> c.error("the server answered HTTP 400").solution("check the URL"));
            case 404 -> c.error("no MLflow API at " + probe.getRawPath() + " (HTTP 404)")
                    .solution("check the URL, including any path prefix such as https://host/mlflow");
            default -> {
                if (status >= 300 && status < 400) {
                    String loc = java.util.Optional.ofNullable(resp.getHeaders().get("Location")).map(l -> Redactor.oneLine(l, 200)).orElse("?");
                    yield c.error("the server redirected to " + loc + " (HTTP " + status + "); redirects are not followed, so "
                            + "credentials never leave the allowed host").solution("use the final URL (often https:// or a trailing path)");
                }
                yield c.error("the server answered HTTP " + status).solution(status >= 500 ? "check the MLflow server's logs"
                        : "check the URL");
            }
        };
    }
}
