package io.github.mlflowsecretsauth.internal;

/**
 * The one rule for which HTTP answers are worth asking again. A backend (Vault, a cloud API, a token endpoint)
 * that answers 408, 429 or any 5xx may answer the same request well a moment later; anything else will not change.
 * The proxy's retries to the MLflow server are narrower: only gateway answers, which say the request never got to
 * (or was never handled by) the server, so an idempotent request may be sent again.
 */
public final class HttpStatuses {
    private HttpStatuses() {
    }

    /** 408, 429 or 5xx: a backend call that may succeed if retried with backoff. */
    public static boolean isTransient(int status) {
        return status == 408 || status == 429 || status >= 500 && status <= 599;
    }

    /** 502, 503 or 504: a gateway in front of the server could not get an answer from it. */
    public static boolean isGatewayFailure(int status) {
        return status == 502 || status == 503 || status == 504;
    }

    /** 429, or 503 with {@code Retry-After}: the server asks the client to come back later. */
    public static boolean isThrottled(int status, boolean hasRetryAfter) {
        return status == 429 || status == 503 && hasRetryAfter;
    }
}
