package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.internal.HttpStatuses;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code approle}: {@code POST auth/<mount>/login} with {@code VAULT_ROLE_ID} and a secret id from
 * {@code VAULT_SECRET_ID}, {@code VAULT_SECRET_ID_FILE} (re-read at each login) or {@code VAULT_WRAPPED_SECRET_ID}
 * (a response-wrapping token, unwrapped once through {@code sys/wrapping/unwrap} at the first login, as Vault Agent's
 * {@code secret_id_response_wrapping_path} does; the secret id is then kept for later logins). Thread-safe.
 */
final class AppRoleLogin implements VaultLogin {
    static final String FIX = "check " + VaultConfig.ROLE_ID + " and the secret id (" + VaultConfig.SECRET_ID + ", "
            + VaultLogins.SECRET_ID_FILE + " or " + VaultLogins.WRAPPED_SECRET_ID + "), and that the secret id has not expired";

    private final String mount;
    private final String roleId;
    private final Optional<String> secretId;
    private final Optional<Path> secretIdFile;
    private final Optional<String> wrapped;
    private volatile String unwrapped;

    AppRoleLogin(String mount, String roleId, Optional<String> secretId, Optional<Path> secretIdFile, Optional<String> wrapped) {
        this.mount = mount;
        this.roleId = roleId;
        this.secretId = secretId;
        this.secretIdFile = secretIdFile;
        this.wrapped = wrapped;
    }

    @Override
    public String method() {
        return "approle";
    }

    @Override
    public String mount() {
        return mount;
    }

    @Override
    public String who() {
        return "role id from " + VaultConfig.ROLE_ID;
    }

    @Override
    public VaultToken login(VaultHttp http, Clock clock) {
        http.known().add(roleId);
        wrapped.ifPresent(http.known()::add);
        String sid = secretId(http);
        http.known().add(sid);
        ObjectNode body = VaultHttp.json().createObjectNode();
        body.put("role_id", roleId);
        body.put("secret_id", sid);
        return LoginAnswer.post(http, this, "", body, FIX, clock);
    }

    private String secretId(VaultHttp http) {
        if (secretId.isPresent()) {
            return secretId.get();
        }
        if (secretIdFile.isPresent()) {
            return LoginFiles.token(secretIdFile.get(), VaultLogins.SECRET_ID_FILE, label());
        }
        synchronized (this) {
            if (unwrapped == null) {
                unwrapped = unwrap(http, wrapped.orElseThrow());
            }
            return unwrapped;
        }
    }

    private String unwrap(VaultHttp http, String wrappingToken) {
        VaultHttp.Response r = http.post("sys/wrapping/unwrap", wrappingToken, VaultHttp.json().createObjectNode());
        if (!r.ok()) {
            String said = "HTTP " + r.status() + (r.errors(http.known()).isEmpty() ? "" : ": " + r.errors(http.known()));
            if (HttpStatuses.isTransient(r.status())) {
                throw new BackendUnavailableException("Vault answered " + said + " to unwrapping "
                        + VaultLogins.WRAPPED_SECRET_ID + " for the " + label(), null, true, r.retryAfter().orElse(null));
            }
            throw new AccessDeniedException("Vault could not unwrap " + VaultLogins.WRAPPED_SECRET_ID + " for the " + label()
                    + " (" + said + "): a wrapping token works once and expires; issue a new one (vault write -wrap-ttl=...)");
        }
        String sid = r.body().path("data").path("secret_id").asText("");
        if (sid.isEmpty()) {
            throw new AccessDeniedException(VaultLogins.WRAPPED_SECRET_ID + " did not wrap a secret id (no data.secret_id), for the "
                    + label() + ": wrap the answer of auth/<mount>/role/<name>/secret-id");
        }
        CredentialText.requireFromBackend(sid, "the secret id unwrapped from " + VaultLogins.WRAPPED_SECRET_ID);
        return sid;
    }

    @Override
    public String toString() {
        return "AppRoleLogin{mount=" + mount + "}";
    }
}
