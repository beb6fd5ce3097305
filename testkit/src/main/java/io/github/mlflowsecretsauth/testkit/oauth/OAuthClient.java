package io.github.mlflowsecretsauth.testkit.oauth;

import java.security.PublicKey;
import java.util.Optional;
import java.util.Set;

/**
 * A client registered with {@link OAuthTokenServer}: a confidential client with a secret, or a
 * {@code private_key_jwt} client with a public key. Immutable.
 *
 * @param id            the client id
 * @param secret        its secret, for {@code client_secret_basic} and {@code client_secret_post}
 * @param publicKey     its key, for {@code private_key_jwt} (RFC 7523): RSA for RS256, EC P-256 for ES256
 * @param allowedScopes the scopes it may ask for; a request for any other is {@code invalid_scope}
 * @param grantAllowed  whether it may use the client-credentials grant at all ({@code unauthorized_client} if not)
 */
public record OAuthClient(String id, Optional<String> secret, Optional<PublicKey> publicKey, Set<String> allowedScopes,
                          boolean grantAllowed) {

    public OAuthClient {
        allowedScopes = Set.copyOf(allowedScopes);
    }

    OAuthClient withGrantAllowed(boolean allowed) {
        return new OAuthClient(id, secret, publicKey, allowedScopes, allowed);
    }

    @Override
    public String toString() {
        return "OAuthClient{" + id + (publicKey.isPresent() ? ", private_key_jwt" : ", secret") + ", scopes=" + allowedScopes + "}";
    }
}
