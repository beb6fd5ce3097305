package io.github.mlflowsecretsauth.testkit.gcp;

import java.time.Instant;
import java.util.Optional;

/**
 * One request a {@link GcpSecretManagerServer} answered, for assertions: what was asked, by whom
 * (the service account the bearer token or assertion belonged to), and the answer. Holds no token,
 * assertion or payload.
 *
 * <p>Thread-safe: immutable.
 *
 * @param kind      which endpoint was called
 * @param resource  the secret version asked for ({@code projects/P/secrets/S/versions/V}) or the
 *                  token endpoint's path
 * @param principal the service account's e-mail, if the request carried a known credential
 * @param status    the HTTP status answered
 * @param error     Google's status name ({@code NOT_FOUND}) or OAuth error ({@code invalid_grant}), if any
 * @param at        when it arrived, by the server's clock
 */
public record GcpCall(Kind kind, String resource, Optional<String> principal, int status, Optional<String> error, Instant at) {

    /** The endpoints the server speaks. */
    public enum Kind {
        /** {@code GET /v1/.../versions/V:access}. */
        ACCESS,
        /** {@code POST /token}, the OAuth2 JWT-bearer grant of a service-account key. */
        TOKEN,
        /** {@code GET /computeMetadata/v1/instance/service-accounts/default/token}. */
        METADATA_TOKEN,
        /** {@code POST /token} with a {@code target_audience} assertion: a service account's ID token. */
        ID_TOKEN,
        /** {@code GET /computeMetadata/v1/instance/service-accounts/default/identity?audience=...}. */
        METADATA_ID_TOKEN,
        /** {@code POST /v1/projects/-/serviceAccounts/E:generateIdToken}, IAM credentials impersonation. */
        GENERATE_ID_TOKEN
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
