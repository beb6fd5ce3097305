package io.github.mlflowsecretsauth.testkit.aws;

/**
 * Failures {@link AwsServer#failNext(int, AwsFault)} injects, each answered as AWS would, after the
 * signature check (so the call log still shows which key signed).
 */
public enum AwsFault {
    /** 400 {@code ThrottlingException}, "Rate exceeded": what Secrets Manager answers over its quota. */
    THROTTLING(400, "ThrottlingException", "Rate exceeded"),
    /** 429 {@code TooManyRequestsException}. */
    TOO_MANY_REQUESTS(429, "TooManyRequestsException", "Too Many Requests"),
    /** 500 {@code InternalServiceError}. */
    INTERNAL_ERROR(500, "InternalServiceError", "An error occurred on the server side."),
    /** 503 {@code ServiceUnavailable}. */
    SERVICE_UNAVAILABLE(503, "ServiceUnavailable", "Service is unavailable. Please try again later.");

    final int status;
    final String type;
    final String message;

    AwsFault(int status, String type, String message) {
        this.status = status;
        this.type = type;
        this.message = message;
    }

    AwsError error() {
        return new AwsError(status, type, message);
    }
}
