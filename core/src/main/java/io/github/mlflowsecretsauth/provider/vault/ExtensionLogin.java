package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.VaultLoginBody;
import io.github.mlflowsecretsauth.spi.VaultLoginFactory;

import java.time.Clock;
import java.util.ServiceLoader;

/**
 * A login whose body an extension module makes ({@link VaultLoginFactory}, found with {@link ServiceLoader}):
 * {@code aws}, from the mlflow-secrets-auth-aws module. Posts it to {@code auth/<mount>/login} like every other
 * login ({@link LoginAnswer}), so the fetch deadline, the answer's checks and the token's life are the core's.
 * Closed with the session. Immutable; thread-safe if the body maker is.
 */
record ExtensionLogin(String method, String mount, String role, VaultLoginBody maker) implements VaultLogin, AutoCloseable {

    /** The login of {@code method} from the module that serves it, or a one-line error saying which module to add. */
    static ExtensionLogin find(Settings s, String method, String module, String mount, String role) {
        for (VaultLoginFactory f : ServiceLoader.load(VaultLoginFactory.class, ExtensionLogin.class.getClassLoader())) {
            if (f.method().equals(method)) {
                return new ExtensionLogin(method, mount, role, f.create(s, mount, role));
            }
        }
        throw new ConfigurationException(VaultLogins.AUTH_METHOD + "=" + method + " needs the " + module
                + " module on the class path: add the dependency io.github.mlflowsecretsauth:" + module);
    }

    @Override
    public String who() {
        return "role " + role;
    }

    @Override
    public VaultToken login(VaultHttp http, Clock clock) {
        VaultLoginBody.Body made;
        try {
            made = maker.make(clock);
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException("the Vault " + label() + " cannot be made: " + e.getMessage());
        }
        made.secrets().forEach(http.known()::add);
        ObjectNode body = VaultHttp.json().createObjectNode();
        made.fields().forEach(body::put);
        return LoginAnswer.post(http, this, "", body, maker.fix(), maker::explain, clock);
    }

    @Override
    public void close() {
        maker.close();
    }

    @Override
    public String toString() {
        return "ExtensionLogin{" + label() + "}";
    }
}
