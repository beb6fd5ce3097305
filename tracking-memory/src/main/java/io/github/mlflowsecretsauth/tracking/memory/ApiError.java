package io.github.mlflowsecretsauth.tracking.memory;

/**
 * An MLflow REST error: the HTTP status and the {@code error_code} MLflow puts in
 * {@code {"error_code": ..., "message": ...}}, with the status MLflow maps each code to.
 *
 * <p>Thread-safe: immutable.
 */
final class ApiError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorCode;

    ApiError(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    static ApiError invalidParameter(String message) {
        return new ApiError(400, "INVALID_PARAMETER_VALUE", message);
    }

    static ApiError missing(String field) {
        return invalidParameter("Missing value for required parameter '" + field
                + "'. See the API docs for more information about request parameters.");
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "RESOURCE_DOES_NOT_EXIST", message);
    }

    static ApiError alreadyExists(String message) {
        return new ApiError(400, "RESOURCE_ALREADY_EXISTS", message);
    }

    static ApiError malformed(String message) {
        return new ApiError(400, "MALFORMED_REQUEST", message);
    }

    static ApiError endpointNotFound(String method, String path) {
        return new ApiError(404, "ENDPOINT_NOT_FOUND", "No API endpoint for " + method + " " + path);
    }

    static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "BAD_REQUEST", "The method " + method + " is not allowed for " + path);
    }
}
