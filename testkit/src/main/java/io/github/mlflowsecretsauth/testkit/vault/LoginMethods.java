package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The login methods a test enables on the testkit Vault (root namespace), each at its mount:
 * {@code kubernetes} and {@code jwt} ({@code POST auth/<mount>/login} with {@code {"role","jwt"}}), and
 * {@code userpass} and {@code ldap} ({@code POST auth/<mount>/login/<username>} with {@code {"password"}}), with the
 * answers of Vault's API documentation. JWTs are checked by {@link JwtChecks}.
 *
 * <p>Thread-safe: concurrent maps of immutable values.
 */
final class LoginMethods {

    /** One enabled mount: its type, the issuer key (JWT types), roles or users. */
    record Mount(String type, TokenKey key, Map<String, JwtRole> roles, Map<String, User> users) {}

    /** A userpass or LDAP user. */
    record User(String password, TokenSpec tokenSpec) {}

    private final Map<String, Mount> mounts = new ConcurrentHashMap<>();
    private final TokenStore tokens;

    LoginMethods(TokenStore tokens) {
        this.tokens = tokens;
    }

    void addRole(String type, String mount, TokenKey key, JwtRole role) {
        Mount m = mounts.computeIfAbsent(mount, k -> new Mount(type, key, new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        requireType(m, type, mount);
        m.roles().put(role.name(), role);
    }

    void addUser(String type, String mount, String username, String password, TokenSpec spec) {
        Mount m = mounts.computeIfAbsent(mount, k -> new Mount(type, null, new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        requireType(m, type, mount);
        m.users().put(username, new User(password, spec));
    }

    private static void requireType(Mount m, String type, String mount) {
        if (!m.type().equals(type)) {
            throw new IllegalArgumentException("auth/" + mount + " is a " + m.type() + " mount, not " + type);
        }
    }

    /** The answer to {@code auth/<rest>} if {@code rest} is a login on an enabled mount. */
    Optional<Reply> handle(VaultCall call, String rest) {
        for (Map.Entry<String, Mount> e : mounts.entrySet()) {
            String prefix = "auth/" + e.getKey() + "/login";
            Mount m = e.getValue();
            if (rest.equals(prefix) && m.key() != null) {
                return Optional.of(call.isWrite() ? jwtLogin(call, e.getKey(), m) : Reply.methodNotAllowed());
            }
            if (rest.startsWith(prefix + "/") && m.key() == null) {
                String user = rest.substring(prefix.length() + 1);
                return Optional.of(call.isWrite() ? passwordLogin(call, e.getKey(), m, user) : Reply.methodNotAllowed());
            }
        }
        return Optional.empty();
    }

    private Reply jwtLogin(VaultCall call, String mount, Mount m) {
        ObjectNode body = call.json();
        String roleName = body.path("role").asText("");
        String jwt = body.path("jwt").asText("");
        if (jwt.isEmpty()) {
            return Reply.error(400, "missing jwt");
        }
        JwtRole role = m.roles().get(roleName);
        if (role == null) {
            return m.type().equals("kubernetes") ? Reply.error(400, "invalid role name \"" + roleName + "\"")
                    : Reply.error(400, "role \"" + roleName + "\" could not be found");
        }
        Optional<String> refusal = m.type().equals("kubernetes") ? JwtChecks.kubernetes(m.key(), role, jwt, call.now())
                : JwtChecks.jwt(m.key(), role, jwt, call.now());
        if (refusal.isPresent()) {
            return Reply.error(m.type().equals("kubernetes") ? 403 : 400, refusal.get());
        }
        TokenEntry entry = tokens.issue(role.tokenSpec(), "auth/" + mount + "/login", mount + "-" + role.name(),
                Map.of("role", role.name()), true);
        return Reply.envelope().auth(AuthEndpoints.authBlock(entry, entry.creationTtl.getSeconds())).reply(200);
    }

    private Reply passwordLogin(VaultCall call, String mount, Mount m, String username) {
        String password = call.json().path("password").asText("");
        User user = m.users().get(username);
        if (password.isEmpty()) {
            return Reply.error(400, "missing password");
        }
        if (user == null || !user.password().equals(password)) {
            return Reply.error(400, m.type().equals("ldap") ? "ldap operation failed: failed to bind as user"
                    : "invalid username or password");
        }
        TokenEntry entry = tokens.issue(user.tokenSpec(), "auth/" + mount + "/login/" + username, mount + "-" + username,
                Map.of("username", username), true);
        return Reply.envelope().auth(AuthEndpoints.authBlock(entry, entry.creationTtl.getSeconds())).reply(200);
    }
}
