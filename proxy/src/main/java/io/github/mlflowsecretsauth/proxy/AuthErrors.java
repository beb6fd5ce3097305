package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.header.HeaderSnapshot;

/**
 * The seed SDK's authentication error messages, with its hints, as MLflow-shaped JSON bodies: what a
 * client sees when the server still rejects the credential after the one refresh. Names where the
 * credential came from, never its value. Stateless.
 */
public final class AuthErrors {
    public static final String INVALID_CREDENTIALS = "MLflow authentication error (HTTP 401): Invalid credentials";
    public static final String ACCESS_FORBIDDEN = "MLflow authentication error (HTTP 403): Access forbidden";

    private AuthErrors() {
    }

    /** The one-line message for a status, with the seed's hints for that case. */
    public static String message(int status, HeaderSnapshot sent) {
        String source = " (credential from " + sent.provider() + ", " + sent.location() + ")";
        if (status == 403) {
            return ACCESS_FORBIDDEN + source + ". Hints: check that this credential has permission on the MLflow server; "
                    + "verify the server's configuration.";
        }
        return INVALID_CREDENTIALS + source + ". Hints: verify the username/password or token in the secret; check whether "
                + "it expired; ensure the auth mode (MLFLOW_<PROVIDER>_AUTH_MODE) and MLFLOW_AUTH_HEADER_NAME are what the server expects.";
    }

    static String body(int status, HeaderSnapshot sent) {
        return Json.error(status == 403 ? "PERMISSION_DENIED" : "UNAUTHENTICATED", message(status, sent));
    }
}
