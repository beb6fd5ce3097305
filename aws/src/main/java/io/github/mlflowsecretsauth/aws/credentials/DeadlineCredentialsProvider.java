package io.github.mlflowsecretsauth.aws.credentials;

import io.github.mlflowsecretsauth.internal.DeadlineHttp;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Bounds the SDK's default chain by {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}. The chain's own clients (instance
 * metadata, container credentials, web identity, SSO) have their own timeouts and retries, several seconds in
 * total, and cannot be given ours without changing the JVM's global AWS settings. So each look-up runs on a daemon
 * thread and the caller waits at most the deadline; a look-up that outlives it is not started again while it runs
 * (the next caller waits on the same one), and its late result is dropped. The SDK's providers cache what they
 * resolve, so a warm chain answers at once. Thread-safe.
 */
final class DeadlineCredentialsProvider implements AwsCredentialsProvider {
    /** The start of the message of a passed deadline; {@code AwsFailures} reports it as a transient failure. */
    static final String LATE = "the AWS default credential chain";

    /** Daemon threads, reused while look-ups keep coming (a signing proxy resolves per request), gone 60 s after. */
    private static final Executor THREADS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "aws-default-chain");
        t.setDaemon(true);
        return t;
    });

    private final AwsCredentialsProvider delegate;
    private final Duration deadline;
    private CompletableFuture<AwsCredentials> inFlight; // guarded by this

    DeadlineCredentialsProvider(AwsCredentialsProvider delegate, Duration deadline) {
        this.delegate = delegate;
        this.deadline = deadline;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        CompletableFuture<AwsCredentials> lookUp;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(delegate::resolveCredentials, THREADS);
            }
            lookUp = inFlight;
        }
        try {
            return lookUp.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw SdkClientException.create(message(deadline));
        } catch (InterruptedException e) {
            // Only a passed deadline interrupts a caller here: the SDK's call timeout (the same deadline, started a
            // little earlier, AwsSdkClients) or the cache abandoning the fetch at it.
            Thread.currentThread().interrupt();
            throw SdkClientException.create(message(deadline), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw SdkClientException.create(LATE + " failed", e.getCause());
        }
    }

    /** e.g. {@code the AWS default credential chain (...) did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC): ...}. */
    static String message(Duration deadline) {
        return DeadlineHttp.timeoutMessage(LATE + " (instance metadata, container credentials, web identity or SSO)", deadline)
                + ": check that endpoint, or set MLFLOW_AWS_ACCESS_KEY_ID and MLFLOW_AWS_SECRET_ACCESS_KEY";
    }

    @Override
    public String toString() {
        return "DeadlineCredentialsProvider(" + deadline.toMillis() + " ms)";
    }
}
