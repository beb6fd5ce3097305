package io.github.mlflowsecretsauth.testkit.oauth;

import java.time.Instant;
import java.util.Optional;

/**
 * One request to the token endpoint as {@link OAuthTokenServer} saw it. Holds no secret.
 *
 * @param clientId   the client it authenticated as, or claimed to be
 * @param clientAuth {@code client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt} or {@code none}
 * @param scope      the {@code scope} parameter
 * @param audience   the {@code audience} parameter
 * @param resource   the {@code resource} parameter (RFC 8707)
 * @param status     the HTTP status answered
 * @param error      the RFC 6749 error code answered, if any
 * @param at         when, by the server's clock
 */
public record TokenRequest(Optional<String> clientId, String clientAuth, Optional<String> scope, Optional<String> audience,
                           Optional<String> resource, int status, Optional<String> error, Instant at) {

    public boolean succeeded() {
        return status == 200;
    }
}
