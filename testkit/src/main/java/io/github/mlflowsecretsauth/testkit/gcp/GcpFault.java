package io.github.mlflowsecretsauth.testkit.gcp;

/**
 * Failures {@link GcpSecretManagerServer#failNext(int, GcpFault)} injects into {@code :access} calls (and
 * {@link GcpSecretManagerServer#failNextIdTokens(int, GcpFault)} into the ID-token endpoints),
 * answered after the bearer token check with Google's error JSON
 * ({@code {"error":{"code","message","status"}}}).
 */
public enum GcpFault {
    /** 429 {@code RESOURCE_EXHAUSTED}: the per-minute access quota is used up. */
    RESOURCE_EXHAUSTED(429, "RESOURCE_EXHAUSTED",
            "Quota exceeded for quota metric 'Access requests' and limit 'Access requests per minute' of service 'secretmanager.googleapis.com'."),
    /** 403 {@code PERMISSION_DENIED}: the caller may not mint tokens for the account. */
    PERMISSION_DENIED(403, "PERMISSION_DENIED", "Permission 'iam.serviceAccounts.getOpenIdToken' denied on resource (or it may not exist)."),
    /** 503 {@code UNAVAILABLE}. */
    UNAVAILABLE(503, "UNAVAILABLE", "The service is currently unavailable."),
    /** 500 {@code INTERNAL}. */
    INTERNAL(500, "INTERNAL", "Internal error encountered.");

    final int status;
    final String code;
    final String message;

    GcpFault(int status, String code, String message) {
        this.status = status;
        this.code = code;
        this.message = message;
    }
}
