package io.github.mlflowsecretsauth.azure.http;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.Context;
import io.github.mlflowsecretsauth.internal.DeadlineHttp;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * An Azure {@link HttpClient} that gives every exchange (Key Vault and the token endpoint alike) one total deadline
 * for connect, headers and the whole body ({@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}): the body is read eagerly inside
 * the deadline, and an exchange that passes it is cancelled (its connection closed) and fails with
 * {@link DeadlineHttp}'s one line as an {@link UncheckedIOException} over an {@link HttpTimeoutException}. The SDK's
 * own response and read timeouts bound only the wait for headers and the gap between reads. Thread-safe.
 */
final class DeadlineAzureHttpClient implements HttpClient {
    private static final Logger LOG = LoggerFactory.getLogger(DeadlineAzureHttpClient.class);
    private static final String EAGERLY_READ = "azure-eagerly-read-response";
    /** Reactor's context key for a local dropped-error hook: the cancelled exchange's late error is expected, not an ERROR log. */
    private static final String ON_ERROR_DROPPED = "reactor.onErrorDropped.local";

    private final HttpClient delegate;
    private final Duration deadline;

    DeadlineAzureHttpClient(HttpClient delegate, Duration deadline) {
        this.delegate = delegate;
        this.deadline = deadline;
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request) {
        return send(request, Context.NONE);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest request, Context context) {
        return delegate.send(request, context.addData(EAGERLY_READ, true))
                .timeout(deadline, Mono.error(() -> new UncheckedIOException(new HttpTimeoutException(
                        DeadlineHttp.timeoutMessage(backend(request.getUrl()), deadline)))))
                .contextWrite(ctx -> ctx.put(ON_ERROR_DROPPED, (Consumer<Throwable>) late ->
                        LOG.debug("the abandoned exchange with {} ended late ({})", backend(request.getUrl()), late.getClass().getSimpleName())));
    }

    @Override
    public HttpResponse sendSync(HttpRequest request, Context context) {
        return send(request, context).block();
    }

    /** {@code Azure Key Vault at https://v.vault.azure.net} or {@code the Azure token endpoint https://login.../t/oauth2/v2.0/token}. */
    static String backend(URL url) {
        String origin = url.getProtocol() + "://" + url.getAuthority();
        return url.getPath().startsWith("/secrets/") ? "Azure Key Vault at " + origin : "the Azure token endpoint " + origin + url.getPath();
    }
}
