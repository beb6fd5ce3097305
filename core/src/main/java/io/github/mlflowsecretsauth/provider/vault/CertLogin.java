package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.CredentialText;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code cert}: TLS certificate login, as the Vault CLI and Vault Agent do it. The client certificate
 * ({@code VAULT_CLIENT_CERT}, key {@code VAULT_CLIENT_KEY}) is presented in the TLS handshake of every connection to
 * Vault ({@link VaultHttp}); the login is {@code POST auth/<mount>/login} with {@code {"name": VAULT_AUTH_ROLE}}
 * when a role is named, else an empty body (Vault then tries every cert role of the mount). Immutable.
 *
 * @param role the cert role's name ({@code VAULT_AUTH_ROLE}), optional
 */
record CertLogin(String mount, Optional<String> role) implements VaultLogin {

    /** From the settings; one-line errors for a missing certificate or a plain-http {@code VAULT_ADDR}. */
    static CertLogin from(Settings s, String mount) {
        Optional<String> role = s.get(VaultLogins.AUTH_ROLE).map(String::strip).filter(r -> !r.isEmpty())
                .map(r -> CredentialText.requireSetting(r, VaultLogins.AUTH_ROLE));
        CertLogin login = new CertLogin(mount, role);
        if (!s.isSet(VaultConfig.CLIENT_CERT)) {
            throw new ConfigurationException(VaultConfig.CLIENT_CERT + " is not set: the " + login.label() + " needs the client"
                    + " certificate (" + VaultConfig.CLIENT_CERT + ") and its key (" + VaultConfig.CLIENT_KEY + "), PEM files");
        }
        String scheme = s.get(VaultConfig.ADDR).map(a -> a.strip().toLowerCase(Locale.ROOT)).orElse("");
        if (scheme.startsWith("http://")) {
            throw new ConfigurationException(VaultLogins.AUTH_METHOD + "=cert needs an https " + VaultConfig.ADDR
                    + ": a client certificate is presented only over TLS; use Vault's https address");
        }
        return login;
    }

    @Override
    public String method() {
        return "cert";
    }

    @Override
    public String who() {
        return role.map(r -> "role " + r).orElse("");
    }

    @Override
    public VaultToken login(VaultHttp http, Clock clock) {
        ObjectNode body = VaultHttp.json().createObjectNode();
        role.ifPresent(r -> body.put("name", r));
        String cert = http.clientSubject().map(c -> " (" + c + ")").orElse("");
        return LoginAnswer.post(http, this, "", body, "check that the certificate in " + VaultConfig.CLIENT_CERT + cert
                + " is trusted by " + role.map(r -> "the cert role " + r + " (" + VaultLogins.AUTH_ROLE + ")")
                .orElse("a cert role") + " of auth/" + mount + ", and that " + VaultConfig.CLIENT_KEY + " is its key", clock);
    }
}
