package io.github.mlflowsecretsauth.azure.identity;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import io.github.mlflowsecretsauth.internal.DeadlineHttp;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/**
 * Bounds {@code DefaultAzureCredential} by {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}. Its developer credentials run a
 * process ({@code az}, {@code azd}, PowerShell) and read its output to the end before their own process timeout
 * applies, so an {@code az} that hangs holds the caller for as long as it hangs. Each token request runs on a daemon
 * thread and the caller waits at most the deadline (+ {@link #GRACE}); the failure is an {@link HttpTimeoutException} with the deadline's
 * one line, which the Key Vault and Entra error mappers report as they report a stalled endpoint. A look-up that
 * outlives the deadline is abandoned (the SDK still owns its process). Thread-safe.
 */
final class DeadlineTokenCredential implements TokenCredential {
    static final String BACKEND = "the Azure identity of DefaultAzureCredential (managed identity, az, azd or PowerShell)";
    /**
     * Beyond the deadline, so that a token endpoint's own deadline (the HTTP client's, the same length) reports first,
     * with the endpoint's name; a process has no such message, and is cut off a little later.
     */
    static final Duration GRACE = Duration.ofMillis(250);

    /** Daemon threads, reused while look-ups keep coming (a signing proxy resolves per request), gone 60 s after. */
    private static final Executor THREADS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "azure-identity");
        t.setDaemon(true);
        return t;
    });

    private final TokenCredential delegate;
    private final Duration deadline;

    DeadlineTokenCredential(TokenCredential delegate, Duration deadline) {
        this.delegate = delegate;
        this.deadline = deadline;
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        CompletableFuture<AccessToken> lookUp = CompletableFuture.supplyAsync(() -> delegate.getTokenSync(request), THREADS);
        try {
            return lookUp.get(deadline.plus(GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            HttpTimeoutException late = new HttpTimeoutException(DeadlineHttp.timeoutMessage(BACKEND, deadline));
            throw new UncheckedIOException(late.getMessage(), late);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(BACKEND + " failed", e.getCause());
        }
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromCallable(() -> getTokenSync(request));
    }

    @Override
    public String toString() {
        return "DeadlineTokenCredential(" + deadline.toMillis() + " ms)";
    }
}
