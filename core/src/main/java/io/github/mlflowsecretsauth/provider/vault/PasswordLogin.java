package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code userpass} and {@code ldap}: {@code POST auth/<mount>/login/<username>} with the password from
 * {@code VAULT_PASSWORD} or {@code VAULT_PASSWORD_FILE} (re-read at every login, one trailing newline ignored).
 * Errors name the user, never the password. Immutable.
 */
record PasswordLogin(String method, String mount, String username, Optional<String> password, Optional<Path> passwordFile)
        implements VaultLogin {

    @Override
    public String who() {
        return "user " + username;
    }

    @Override
    public VaultToken login(VaultHttp http, Clock clock) {
        String pw = passwordFile.map(p -> LoginFiles.password(p, VaultLogins.PASSWORD_FILE, label())).orElseGet(password::orElseThrow);
        http.known().add(pw);
        ObjectNode body = VaultHttp.json().createObjectNode();
        body.put("password", pw);
        String user = URLEncoder.encode(username, StandardCharsets.UTF_8).replace("+", "%20");
        return LoginAnswer.post(http, this, "/" + user, body, "check " + VaultLogins.USERNAME + " and the password ("
                + passwordFile.map(p -> VaultLogins.PASSWORD_FILE + "=" + p).orElse(VaultLogins.PASSWORD) + ")", clock);
    }

    @Override
    public String toString() {
        return "PasswordLogin{method=" + method + ", mount=" + mount + ", user=" + username + "}";
    }
}
