package io.github.mlflowsecretsauth.secret;

import java.util.Optional;

/**
 * A parsed credential: a token, or a username and password, or both. {@link #toString()} shows which
 * parts are present, never their values. Immutable.
 */
public record Credential(Optional<String> token, Optional<String> username, Optional<String> password) {

    public static Credential ofToken(String token) {
        return new Credential(Optional.of(token), Optional.empty(), Optional.empty());
    }

    public static Credential ofUserPassword(String username, String password) {
        return new Credential(Optional.empty(), Optional.of(username), Optional.of(password));
    }

    public boolean hasUserPassword() {
        return username.isPresent() && password.isPresent();
    }

    @Override
    public String toString() {
        return "Credential{token=" + (token.isPresent() ? "<set>" : "<none>") + ", username="
                + (username.isPresent() ? "<set>" : "<none>") + ", password=" + (password.isPresent() ? "<set>" : "<none>") + "}";
    }
}
