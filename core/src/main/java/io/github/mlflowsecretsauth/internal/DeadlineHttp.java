package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One exchange with a backend over the JDK {@link HttpClient} under one total deadline that covers the
 * connection, the headers <em>and</em> the body ({@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}). The request's own
 * {@code timeout()} bounds only the wait for headers, so a server that sends headers and then stalls mid-body
 * would hold a plain {@code send()} for ever; here the exchange is abandoned (and its connection closed) when
 * the deadline passes. The body is read into memory up to {@link #MAX_BODY_BYTES}. The one place where the
 * project's JDK-HttpClient backends (Vault, Google Secret Manager, Google's token endpoints) talk to the
 * network. For the project's modules; not a stable API. Thread-safe.
 */
public final class DeadlineHttp {
    /** The largest answer a backend may send: a secret or token answer is a few KiB. */
    public static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpClient client;
    private final Duration deadline;
    private final String backend;

    /**
     * @param deadline the total deadline of one exchange, usually {@code ProviderContext.fetchTimeout()}
     * @param backend  the backend as messages name it, e.g. {@code Vault at https://vault:8200}; no credential
     */
    public DeadlineHttp(HttpClient client, Duration deadline, String backend) {
        this.client = Objects.requireNonNull(client);
        this.deadline = Objects.requireNonNull(deadline);
        this.backend = Objects.requireNonNull(backend);
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive");
        }
    }

    /** A connect timeout to build the client with: 5 s, or the deadline if shorter. */
    public static Duration connectTimeout(Duration deadline) {
        return deadline.compareTo(Duration.ofSeconds(5)) < 0 ? deadline : Duration.ofSeconds(5);
    }

    public Duration deadline() {
        return deadline;
    }

    /**
     * Sends {@code request} and reads its whole body as UTF-8 text, all within the deadline.
     *
     * @throws HttpTimeoutException with {@link #timeoutMessage()} when the deadline passed (the exchange is cancelled)
     * @throws IOException          any other failure as the JDK reports it (refused connection, TLS, a body over the cap)
     */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(request.timeout(deadline).build(),
                info -> BoundedBody.utf8(MAX_BODY_BYTES, backend));
        try {
            return exchange.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw timeout(System.nanoTime() - start);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause(), System.nanoTime() - start);
        }
    }

    /**
     * The failure of {@link #send} (or an interruption) as a one-line {@link BackendUnavailableException} naming the
     * backend and what to check: {@code addressSetting} for network trouble, {@code caSetting} for TLS trust.
     */
    public BackendUnavailableException unavailable(Exception e, String addressSetting, String caSetting) {
        return HttpFailures.map(backend, e, addressSetting, caSetting);
    }

    /** e.g. {@code Vault at https://vault:8200 did not answer within 10 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)}. */
    public String timeoutMessage() {
        return timeoutMessage(backend, deadline);
    }

    /** The one wording of a passed deadline, for the clients that cannot use this class (the Azure SDK's). */
    public static String timeoutMessage(String backend, Duration deadline) {
        long ms = deadline.toMillis();
        String amount = ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0);
        return backend + " did not answer within " + amount + " s (" + ConfigKeys.FETCH_TIMEOUT_SEC + ")";
    }

    private HttpTimeoutException timeout(long elapsedNanos) {
        HttpTimeoutException e = new HttpTimeoutException(timeoutMessage());
        e.addSuppressed(new TimeoutException("abandoned after " + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " ms"));
        return e;
    }

    private IOException rethrow(Throwable cause, long elapsedNanos) {
        while (cause instanceof CompletionException || cause instanceof ExecutionException) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpTimeoutException && !(cause instanceof HttpConnectTimeoutException)) {
            return timeout(elapsedNanos); // the headers did not come within the request's timeout: the same deadline
        }
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }
}
