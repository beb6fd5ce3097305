package io.github.mlflowsecretsauth.error;

import java.time.Duration;
import java.util.Optional;

/**
 * The backend could not be reached or answered with a server-side error (connection refused,
 * timeout, 5xx, 429). Transient unless built with {@code transientFailure = false} (a TLS trust
 * failure, say, does not heal by retrying).
 */
public class BackendUnavailableException extends SecretsAuthException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;
    private final Duration retryAfter;

    public BackendUnavailableException(String message, Throwable cause) {
        this(message, cause, true, null);
    }

    public BackendUnavailableException(String message, Throwable cause, boolean transientFailure, Duration retryAfter) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    @Override
    public boolean isTransient() {
        return transientFailure;
    }

    /** A server-requested delay (HTTP {@code Retry-After}), if it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
