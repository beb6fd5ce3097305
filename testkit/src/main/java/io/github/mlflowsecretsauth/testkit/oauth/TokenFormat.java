package io.github.mlflowsecretsauth.testkit.oauth;

/** What kind of access token {@link OAuthTokenServer} issues. */
public enum TokenFormat {
    /** An RS256 JWT with {@code iss}, {@code sub}, {@code aud}, {@code iat}, {@code exp}, {@code scope}, {@code jti}. */
    JWT,
    /** The same JWT without {@code exp}: a client cannot learn the lifetime from the token. */
    JWT_WITHOUT_EXP,
    /** A random opaque string, as some IdPs issue (validated only by the server itself). */
    OPAQUE
}
