package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code jwt} (also for {@code oidc} mounts used with JWTs): {@code POST auth/<mount>/login} with
 * {@code VAULT_AUTH_ROLE} and a JWT from {@code VAULT_JWT_PATH} (re-read at every login: a CI system's OIDC token
 * or a projected token is rotated) or {@code VAULT_JWT}. Immutable.
 */
record JwtLogin(String mount, String role, Optional<Path> jwtPath, Optional<String> jwt) implements VaultLogin {

    @Override
    public String method() {
        return "jwt";
    }

    @Override
    public String who() {
        return "role " + role;
    }

    @Override
    public VaultToken login(VaultHttp http, Clock clock) {
        String token = jwtPath.map(p -> LoginFiles.token(p, VaultLogins.JWT_PATH, label())).orElseGet(jwt::orElseThrow);
        http.known().add(token);
        ObjectNode body = VaultHttp.json().createObjectNode();
        body.put("role", role);
        body.put("jwt", token);
        String source = jwtPath.map(p -> VaultLogins.JWT_PATH + " (" + p + ")").orElse(VaultLogins.JWT);
        return LoginAnswer.post(http, this, "", body, "check " + VaultLogins.AUTH_ROLE + ", that the role's bound audiences,"
                + " subject and claims match the JWT, and that the JWT in " + source + " has not expired", clock);
    }

    @Override
    public String toString() {
        return "JwtLogin{mount=" + mount + ", role=" + role + ", jwtPath=" + jwtPath.map(Path::toString).orElse("-") + "}";
    }
}
