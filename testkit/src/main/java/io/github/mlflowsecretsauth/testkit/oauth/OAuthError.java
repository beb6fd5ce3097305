package io.github.mlflowsecretsauth.testkit.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

/** An RFC 6749 §5.2 error answer: its HTTP status, {@code error} code and {@code error_description}. */
final class OAuthError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String error;

    OAuthError(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    static OAuthError invalidClient(String description) {
        return new OAuthError(401, "invalid_client", description);
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError(400, "invalid_request", description);
    }

    Map<String, Object> body() {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error", error);
        b.put("error_description", getMessage());
        return b;
    }
}
