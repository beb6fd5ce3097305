package io.github.mlflowsecretsauth.testkit.aws;

/**
 * An error an AWS operation answers with: HTTP status, error code ({@code __type} in JSON, {@code Code}
 * in XML) and message. Thrown inside the testkit and turned into the wire format by the handler.
 *
 * <p>Thread-safe: immutable.
 */
final class AwsError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;

    AwsError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    static AwsError notFound(String message) {
        return new AwsError(400, "ResourceNotFoundException", message);
    }

    static AwsError invalidParameter(String message) {
        return new AwsError(400, "InvalidParameterException", message);
    }

    static AwsError invalidRequest(String message) {
        return new AwsError(400, "InvalidRequestException", message);
    }
}
