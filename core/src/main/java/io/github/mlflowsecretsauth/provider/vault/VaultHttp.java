package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.github.mlflowsecretsauth.internal.ClientIdentity;
import io.github.mlflowsecretsauth.internal.DeadlineHttp;
import io.github.mlflowsecretsauth.internal.HttpAnswers;
import io.github.mlflowsecretsauth.redact.KnownSecrets;
import io.github.mlflowsecretsauth.redact.Redactor;
import io.github.mlflowsecretsauth.internal.TlsContexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Vault's HTTP API over the JDK {@link HttpClient}: JSON in and out, {@code X-Vault-Token} and
 * {@code X-Vault-Namespace} headers, no redirects followed. Each call (login, lookup, read, renew) has one total
 * deadline, {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}, for connect, headers and body ({@link DeadlineHttp}). Network
 * and TLS failures become {@code BackendUnavailableException}s that say which host
 * failed and what to check. Thread-safe.
 */
final class VaultHttp {
    private static final Logger LOG = LoggerFactory.getLogger(VaultHttp.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A Vault answer: status and parsed body ({@link MissingNode} when empty). */
    record Response(int status, JsonNode body, Optional<Duration> retryAfter) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /**
         * Vault's {@code errors} array, made safe for a one-line message: scrubbed of the secret values
         * {@code known} holds first (Vault, or a gateway in front of it, may echo what it was sent), then cut,
         * so a cut never leaves half a secret.
         */
        String errors(KnownSecrets known) {
            return errors(known, java.util.function.UnaryOperator.identity());
        }

        /** The same, each error first shortened by {@code explain} (an extension's reading of text it knows). */
        String errors(KnownSecrets known, java.util.function.UnaryOperator<String> explain) {
            List<String> out = new ArrayList<>();
            body.path("errors").forEach(e -> out.add(Redactor.oneLine(known.scrub(explain.apply(e.asText())), 160)));
            return out.isEmpty() ? "" : String.join("; ", out);
        }
    }

    private final URI base;
    private final Optional<String> namespace;
    private final DeadlineHttp http;
    private final String hostPort;
    private final KnownSecrets known;
    private final Optional<String> clientSubject;

    /**
     * {@code fetchTimeout}: the total deadline of each call (login, lookup, read, renew). {@code identity}: the client
     * certificate ({@code VAULT_CLIENT_CERT}) presented on every connection, as the Vault CLI does, whatever the login.
     */
    VaultHttp(VaultConfig config, Optional<ClientIdentity> identity, KnownSecrets known, Duration fetchTimeout) {
        this.known = known;
        this.clientSubject = identity.map(ClientIdentity::subject);
        String addr = config.address().toString().replaceAll("/+$", "");
        this.base = URI.create(addr + "/v1/");
        this.namespace = config.namespace();
        this.hostPort = config.address().getHost() + ":" + (config.address().getPort() > 0 ? config.address().getPort()
                : "https".equalsIgnoreCase(config.address().getScheme()) ? 443 : 80);
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(DeadlineHttp.connectTimeout(fetchTimeout))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (config.skipVerify()) {
            LOG.warn("VAULT_SKIP_VERIFY is set: Vault's TLS certificate is not verified; use VAULT_CACERT instead");
        }
        if (identity.isPresent() && !"https".equalsIgnoreCase(config.address().getScheme())) {
            LOG.warn("{} is set but {} is not https: the client certificate is not presented", VaultConfig.CLIENT_CERT,
                    VaultConfig.ADDR);
        }
        if (config.skipVerify() || config.caCert().isPresent() || identity.isPresent()) {
            b.sslContext(TlsContexts.client(identity, config.caCert(), VaultConfig.CACERT, config.skipVerify()));
        }
        this.http = new DeadlineHttp(b.build(), fetchTimeout, "Vault at " + config.address().getScheme() + "://" + hostPort);
    }

    /** The engine's secret values, for {@link Response#errors}. */
    KnownSecrets known() {
        return known;
    }

    /** The subject of the client certificate presented to Vault, if any: for messages and reports. */
    Optional<String> clientSubject() {
        return clientSubject;
    }

    String hostPort() {
        return hostPort;
    }

    Response get(String apiPath, String token) {
        return send("GET", apiPath, token, null);
    }

    Response post(String apiPath, String token, JsonNode body) {
        return send("POST", apiPath, token, body);
    }

    private Response send(String method, String apiPath, String token, JsonNode body) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(base.resolve(apiPath))
                .header("Accept", "application/json").header("X-Vault-Request", "true");
        if (token != null) {
            rb.header("X-Vault-Token", token);
        }
        namespace.ifPresent(ns -> rb.header("X-Vault-Namespace", ns));
        if (body != null) {
            rb.header("Content-Type", "application/json");
            rb.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> resp;
        try {
            resp = http.send(rb);
        } catch (IOException | InterruptedException e) {
            throw http.unavailable(e, VaultConfig.ADDR, VaultConfig.CACERT);
        }
        return new Response(resp.statusCode(), HttpAnswers.jsonOrMissing(JSON, resp.body()), HttpAnswers.retryAfter(resp));
    }

    static ObjectMapper json() {
        return JSON;
    }
}
