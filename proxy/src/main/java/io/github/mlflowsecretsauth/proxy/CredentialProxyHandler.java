package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.internal.Hosts;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.header.HeaderSource;
import io.github.mlflowsecretsauth.spi.RequestBody;
import io.github.mlflowsecretsauth.internal.Causes;
import io.github.mlflowsecretsauth.internal.HttpStatuses;
import io.github.mlflowsecretsauth.proxy.tls.UpstreamFailures;
import io.github.mlflowsecretsauth.proxy.tls.UpstreamTls;
import io.github.mlflowsecretsauth.redact.Redactor;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.PathRequestContent;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Forwards every request to the upstream with the current credential, on Jetty's
 * {@link ProxyHandler.Reverse} (streaming, hop-by-hop headers, {@code Via}/{@code Forwarded}).
 *
 * <p>Small requests (no body, or a known length up to the replay limit) are buffered, so they can be
 * replayed: once with a fresh credential when the upstream answers 401/403 to the credential they
 * carried, and within a bounded budget when it answers 429 (or 503 with {@code Retry-After}), so the
 * client never sees them. Larger or chunked bodies stream through with bounded memory; a 401/403 to
 * them still drops the rejected credential, but the response goes back to the client. Redirects are
 * never followed; {@link RedirectLocations} decides what the client gets. Thread-safe.
 */
final class CredentialProxyHandler extends ProxyHandler.Reverse {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialProxyHandler.class);
    private static final String ATTEMPT = CredentialProxyHandler.class.getName() + ".attempt";

    private final SecretsAuth auth;
    private final Upstream upstream;
    private final ProxyOptions options;
    private final ProxyMetrics metrics;
    private final UpstreamTls tls;
    private final UpstreamFailures failures;
    private final ReplayBudget replayBudget;
    private final RedirectLocations redirects;
    private final ReplayPolicy replays;

    CredentialProxyHandler(SecretsAuth auth, Upstream upstream, ProxyOptions options, ProxyMetrics metrics, UpstreamTls tls) {
        super(request -> upstream.rewrite(request.getHttpURI()));
        this.auth = auth;
        this.upstream = upstream;
        this.options = options;
        this.metrics = metrics;
        this.tls = tls;
        this.replayBudget = new ReplayBudget(options.replayBudgetBytes());
        this.failures = new UpstreamFailures(Hosts.hostOf(upstream.uri()).orElseThrow() + ":"
                + Hosts.effectivePort(upstream.uri()), tls, Clock.systemUTC());
        this.redirects = new RedirectLocations(upstream.uri());
        this.replays = new ReplayPolicy(options.maxThrottleRetries(), options.throttleBudget(),
                () -> ThreadLocalRandom.current().nextDouble());
        setProxyToServerHost(upstream.hostHeader());
        setViaHost("mlflow-secrets-auth");
    }

    @Override
    protected void configureHttpClient(org.eclipse.jetty.client.HttpClient client) {
        super.configureHttpClient(client);
        client.setExecutor(getServer().getThreadPool()); // one pool for both sides, not Jetty's second pool of 200
        client.setConnectTimeout(options.connectTimeout().toMillis());
        client.setIdleTimeout(options.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(options.maxUpstreamConnections());
        client.setUserAgentField(null);
        client.setSslContextFactory(tls.newSslContextFactory()); // client certificate and trust from MLFLOW_TRACKING_* only
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long length = request.getLength();
        boolean chunked = length < 0 && request.getHeaders().get(HttpHeader.TRANSFER_ENCODING) != null;
        boolean expectContinue = HttpHeaderValue.CONTINUE.is(request.getHeaders().get(HttpHeader.EXPECT));
        boolean signed = auth.headerSource().signsEachRequest();
        String method = request.getMethod();
        if (!chunked && !expectContinue && length <= 0) {
            send(request, response, callback, ProxyAttempt.buffered(options.upstreamTimeout(), method,
                    ProxyAttempt.NO_BODY));
            return true;
        }
        if (!chunked && !expectContinue && length <= options.maxReplayBytes() && replayBudget.tryReserve(length)) {
            Callback released = Callback.from(() -> replayBudget.release(length), callback);
            BodyBuffer.read(request, (int) length).whenComplete((bytes, failure) -> {
                if (failure != null) {
                    Response.writeError(request, response, released, HttpStatus.BAD_REQUEST_400, "could not read the request body");
                } else {
                    send(request, response, released, ProxyAttempt.buffered(options.upstreamTimeout(), method, bytes));
                }
            });
            return true;
        }
        // Too large, chunked, or the replay budget is spent (many bodies in flight): stream it, without the replay.
        if (signed) {
            spoolAndSend(request, response, callback); // a signature covers the body's hash: read it first, to disk
            return true;
        }
        try {
            auth.snapshotFor(upstream.uri()); // fetch now if needed, so a failure becomes a clear 502
        } catch (SecretsAuthException e) {
            credentialFailure(request, response, callback, e);
            return true;
        }
        request.setAttribute(ATTEMPT, ProxyAttempt.streaming(options.upstreamTimeout(), method));
        return super.handle(request, response, callback); // streams; addProxyHeaders puts the credential on
    }

    /** Reads a large or chunked body to a private temporary file (a signature covers it), then sends it from there. */
    private void spoolAndSend(Request request, Response response, Callback callback) {
        SpooledBody spooled;
        try {
            spooled = SpooledBody.read(request);
        } catch (IOException e) {
            Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "could not read the request body");
            return;
        }
        send(request, response, spooled.deletingOnCompletion(callback),
                ProxyAttempt.spooled(options.upstreamTimeout(), request.getMethod(), spooled.file()));
    }

    /** Sends (or re-sends) a buffered request; runs on a thread that may block for a credential fetch. */
    private void send(Request request, Response response, Callback callback, ProxyAttempt attempt) {
        var toServer = newProxyToServerRequest(request, rewriteHttpURI(request));
        copyRequestHeaders(request, toServer);
        request.setAttribute(ATTEMPT, attempt);
        try {
            addProxyHeaders(request, toServer);
        } catch (SecretsAuthException e) {
            credentialFailure(request, response, callback, e);
            return;
        }
        toServer.headers(h -> h.remove(HttpHeader.EXPECT));
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (attempt.file != null) {
            try {
                toServer.body(new PathRequestContent(contentType, attempt.file));
            } catch (IOException e) {
                Response.writeError(request, response, callback, HttpStatus.INTERNAL_SERVER_ERROR_500, "could not read the spooled body");
                return;
            }
        } else if (attempt.body.length > 0) {
            toServer.body(new BytesRequestContent(contentType, attempt.body));
        }
        sendProxyToServerRequest(request, toServer, response, callback);
    }

    /**
     * No RFC 7239 {@code Forwarded} header: {@code X-Forwarded-For/Host/Proto} (set in
     * {@link #addProxyHeaders}, replacing any the client sent) say the same, and building the quoted
     * {@code Forwarded} value was 5% of the proxy's CPU per request.
     */
    @Override
    protected void addForwardedHeader(Request request, org.eclipse.jetty.client.Request toServer) {
    }

    @Override
    protected void addProxyHeaders(Request request, org.eclipse.jetty.client.Request toServer) {
        super.addProxyHeaders(request, toServer);
        String clientHost = request.getHeaders().get(HttpHeader.HOST);
        toServer.headers(h -> {
            h.put(HttpHeader.X_FORWARDED_HOST, clientHost == null ? "" : clientHost);
            h.put(HttpHeader.X_FORWARDED_PROTO, request.isSecure() ? "https" : "http");
            h.put(HttpHeader.X_FORWARDED_FOR, Request.getRemoteAddr(request));
            h.remove(HttpHeader.FORWARDED); // a client's own RFC 7239 header is not passed on as if we had vouched for it
            if (options.clientToken().isPresent()) {
                h.remove(HttpHeader.AUTHORIZATION); // the client's proxy token never goes upstream
            }
        });
        ProxyAttempt attempt = (ProxyAttempt) request.getAttribute(ATTEMPT);
        if (attempt != null) {
            attempt.deadline.begin();
            toServer.onRequestSuccess(r -> attempt.deadline.sent(getServer().getScheduler(),
                    () -> toServer.abort(attempt.deadline.expired(upstream.hostHeader()))));
        }
        HeaderSource source = auth.headerSource();
        RequestBody body = attempt == null ? null : attempt.signable();
        if (source.signsEachRequest() && body != null) {
            // A signature replaces the secret-derived header on the same request, as MLflow does.
            Map<String, String> signed = source.headersFor(request.getMethod(), toServer.getURI(), upstream.hostHeader(), body);
            toServer.headers(h -> signed.forEach(h::put));
            return;
        }
        HeaderSnapshot snapshot = auth.snapshotFor(upstream.uri()).orElse(null);
        if (attempt != null) {
            attempt.sent = snapshot;
        }
        if (snapshot != null) {
            toServer.headers(h -> snapshot.headers().forEach(h::put));
        }
    }

    private void credentialFailure(Request request, Response response, Callback callback, SecretsAuthException e) {
        metrics.credentialFailures.increment();
        LOG.warn("no credential for {}: {}", upstream, e.getMessage());
        Json.send(response, HttpStatus.BAD_GATEWAY_502, Json.error("CREDENTIAL_UNAVAILABLE",
                "mlflow-secrets-auth could not get a credential: " + Redactor.oneLine(e.getMessage(), 400)), callback);
    }

    @Override
    protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(Request request,
            org.eclipse.jetty.client.Request toServer, Response response, Callback callback) {
        return new ReplayingListener(request, toServer, response, callback);
    }

    @Override
    protected void onServerToProxyResponseFailure(Request request, org.eclipse.jetty.client.Request toServer,
            org.eclipse.jetty.client.Response fromServer, Response response, Callback callback, Throwable failure) {
        ProxyAttempt attempt = (ProxyAttempt) request.getAttribute(ATTEMPT);
        if (attempt != null) {
            attempt.deadline.answered();
        }
        org.eclipse.jetty.http.HttpException clientFault = Causes.find(failure, org.eclipse.jetty.http.HttpException.class)
                .filter(e -> e.getCode() >= 400 && e.getCode() < 500).orElse(null);
        if (clientFault != null && !response.isCommitted()) {
            // The client's own body was malformed (bad chunked encoding...): not the MLflow server's fault.
            LOG.info("malformed request body from the client: {}", clientFault.getReason());
            Json.send(response, HttpStatus.BAD_REQUEST_400, Json.error("BAD_REQUEST", "mlflow-secrets-auth: the request"
                    + " body is malformed (" + clientFault.getReason() + "); the request to the MLflow server was aborted"),
                    callback);
            return;
        }
        metrics.upstreamFailures.increment();
        String reason = failure instanceof HeaderDeadline.Expired e ? e.getMessage() : failures.describe(failure);
        ReplayPolicy.Decision retry = attempt == null || response.isCommitted() || UpstreamFailures.isTlsHandshake(failure)
                ? ReplayPolicy.Decision.PASS : replays.onFailure(attempt.forPolicy());
        if (!retry.passes()) {
            attempt.replays = attempt.replays.after(retry);
            LOG.info("request to {} failed ({}); retrying the {} in {} ms", upstream, reason, request.getMethod(),
                    retry.delay().toMillis());
            resendLater(request, response, callback, attempt, retry.delay());
            return;
        }
        LOG.warn("request to {} failed: {}", upstream, reason);
        if (response.isCommitted()) {
            super.onServerToProxyResponseFailure(request, toServer, fromServer, response, callback, failure);
            return;
        }
        // One line that says which host and port, and whether DNS, the connection or TLS failed.
        boolean timeout = failure instanceof java.util.concurrent.TimeoutException;
        Json.send(response, timeout ? HttpStatus.GATEWAY_TIMEOUT_504 : HttpStatus.BAD_GATEWAY_502,
                Json.error(timeout ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNAVAILABLE", "mlflow-secrets-auth: " + reason
                        + retryNote(request, attempt)), callback);
    }

    /** Tells the client whether the proxy already retried, or why it did not. */
    private static String retryNote(Request request, ProxyAttempt attempt) {
        if (attempt != null && attempt.replays.failureRetries() > 0) {
            return " (after " + attempt.replays.failureRetries() + " retries of this " + request.getMethod() + ")";
        }
        if (attempt != null && !attempt.idempotent) {
            return " (the " + request.getMethod() + " was not retried: it is not idempotent and the server may have acted on it)";
        }
        return "";
    }

    private void resendLater(Request request, Response response, Callback callback, ProxyAttempt attempt, Duration delay) {
        Runnable resend = () -> getServer().getThreadPool().execute(() -> send(request, response, callback, attempt));
        if (delay.isZero()) {
            resend.run();
        } else {
            getServer().getScheduler().schedule(resend, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Passes the response through, unless it is one we replay; then it is swallowed and the request sent again. */
    private final class ReplayingListener extends ProxyResponseListener {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ProxyAttempt attempt;
        private boolean swallow;
        private String rejection; // the seed's message, sent instead of the body of a final 401/403
        private java.io.ByteArrayOutputStream tlsPage; // a small 400 page from a TLS upstream, read for nginx's mTLS errors
        private Duration delay = Duration.ZERO;

        ReplayingListener(Request request, org.eclipse.jetty.client.Request toServer, Response response, Callback callback) {
            super(request, toServer, response, callback);
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.attempt = (ProxyAttempt) request.getAttribute(ATTEMPT);
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response fromServer) {
            int status = fromServer.getStatus();
            if (attempt != null) {
                attempt.deadline.answered();
            }
            metrics.upstreamStatus(status);
            ReplayPolicy.Decision d = decide(status, fromServer.getHeaders().get(HttpHeader.RETRY_AFTER));
            swallow = !d.passes();
            if (swallow) {
                attempt.replays = attempt.replays.after(d);
                delay = d.delay();
                switch (d.reason()) {
                    case REJECTED -> {
                        metrics.replaysAuth.increment();
                        LOG.info("upstream answered {} to the credential from {}; replaying once with a fresh one", status,
                                attempt.sent.provider());
                    }
                    case THROTTLED -> {
                        metrics.replaysThrottle.increment();
                        LOG.info("upstream answered {}; retrying in {} ms", status, delay.toMillis());
                    }
                    default -> LOG.info("upstream answered {}; retrying the {} in {} ms", status, request.getMethod(),
                            delay.toMillis());
                }
            }
            if (!swallow) {
                super.onHeaders(fromServer);
                rejection = redirects.apply(request, response); // a redirect the client must not follow with its Authorization
                if (HttpStatuses.isGatewayFailure(status) && fromServer.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) == 0) {
                    // An empty gateway error says nothing to the client: say who answered it and whether we retried.
                    rejection = Json.error("UPSTREAM_ERROR", "mlflow-secrets-auth: the MLflow server at " + upstream.hostHeader()
                            + " answered HTTP " + status + " with no body" + retryNote(request, attempt));
                    response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                }
                if (status == 400 && isSmallHtmlFromTls(fromServer)) {
                    tlsPage = new java.io.ByteArrayOutputStream();
                }
                if ((status == 401 || status == 403) && attempt != null && attempt.sent != null) {
                    rejection = AuthErrors.body(status, attempt.sent);
                    response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
                    response.getHeaders().remove(HttpHeader.CONTENT_ENCODING);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                }
            }
        }

        /** Reports a rejected credential to the engine (never fetching on this client I/O thread), then asks the policy. */
        private ReplayPolicy.Decision decide(int status, String retryAfter) {
            if (attempt == null) {
                return ReplayPolicy.Decision.PASS;
            }
            SecretsAuth.RejectionOutcome rejection = (status == 401 || status == 403) && attempt.sent != null
                    ? auth.reportRejected(attempt.sent) : null;
            return replays.onStatus(status, retryAfter, rejection, attempt.forPolicy());
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response fromServer, Content.Chunk chunk, Runnable demander) {
            if (swallow || rejection != null) {
                demander.run(); // discard the body of a response we replay, or replace with a clear message
            } else if (tlsPage != null) {
                java.nio.ByteBuffer b = chunk.getByteBuffer().slice();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                tlsPage.writeBytes(bytes);
                demander.run();
            } else {
                super.onContent(fromServer, chunk, demander);
            }
        }

        @Override
        public void onSuccess(org.eclipse.jetty.client.Response fromServer) {
            if (rejection != null) {
                response.write(true, java.nio.ByteBuffer.wrap(rejection.getBytes(StandardCharsets.UTF_8)), this);
            } else if (tlsPage != null) {
                byte[] page = tlsPage.toByteArray();
                var mtls = failures.nginxCertificateRejection(new String(page, StandardCharsets.ISO_8859_1));
                if (mtls.isPresent()) {
                    LOG.warn("{}", mtls.get().message());
                    page = Json.error(mtls.get().errorCode(), "mlflow-secrets-auth: " + mtls.get().message())
                            .getBytes(StandardCharsets.UTF_8);
                    response.getHeaders().remove(HttpHeader.CONTENT_ENCODING);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                }
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, page.length);
                response.write(true, java.nio.ByteBuffer.wrap(page), this);
            } else if (!swallow) {
                super.onSuccess(fromServer);
            }
        }

        @Override
        public void onComplete(Result result) {
            if (!swallow) {
                super.onComplete(result);
                return;
            }
            resendLater(request, response, callback, attempt, delay);
        }
    }

    /** nginx answers a mutual-TLS failure with a short HTML 400 page; only such pages are read, never a stream. */
    private boolean isSmallHtmlFromTls(org.eclipse.jetty.client.Response fromServer) {
        long length = fromServer.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        String type = fromServer.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return "https".equalsIgnoreCase(upstream.uri().getScheme()) && length > 0 && length <= 8192
                && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/html")
                && fromServer.getHeaders().get(HttpHeader.CONTENT_ENCODING) == null;
    }
}
