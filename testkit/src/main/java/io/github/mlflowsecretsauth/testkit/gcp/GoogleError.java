package io.github.mlflowsecretsauth.testkit.gcp;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google API error as the REST APIs send it: HTTP status and the {@code google.rpc.Status} JSON
 * {@code {"error":{"code":404,"message":"...","status":"NOT_FOUND"}}}. Immutable.
 */
final class GoogleError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;

    GoogleError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status);
        error.put("message", getMessage());
        error.put("status", code);
        return Map.of("error", error);
    }
}
