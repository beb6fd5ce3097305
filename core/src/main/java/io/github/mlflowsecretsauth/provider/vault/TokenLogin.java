package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.internal.HttpStatuses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;

/**
 * {@code token}: a token given to this process ({@code VAULT_TOKEN}, or the Vault CLI's {@code ~/.vault-token}),
 * whose TTL and renewability are learnt from {@code lookup-self}. It is never revoked and cannot be obtained again.
 * Immutable.
 *
 * @param value  the token
 * @param source where it came from, for messages: {@code VAULT_TOKEN} or the file's path
 */
record TokenLogin(String value, String source) implements VaultLogin {
    private static final Logger LOG = LoggerFactory.getLogger(TokenLogin.class);

    @Override
    public String method() {
        return "token";
    }

    @Override
    public String mount() {
        return "token";
    }

    @Override
    public String who() {
        return "";
    }

    @Override
    public boolean given() {
        return true;
    }

    @Override
    public String label() {
        return "token from " + source;
    }

    @Override
    public VaultToken login(VaultHttp http, Clock clock) {
        http.known().add(value);
        VaultHttp.Response r = http.get("auth/token/lookup-self", value);
        if (r.status() == 403) {
            throw new AccessDeniedException("Vault rejected the token from " + source + " (HTTP 403 " + r.errors(http.known())
                    + "): the token is invalid, revoked or expired; provide a valid token");
        }
        if (!r.ok()) {
            if (HttpStatuses.isTransient(r.status())) {
                throw new BackendUnavailableException("Vault answered HTTP " + r.status() + " to token lookup (" + r.errors(http.known()) + ")",
                        null, true, r.retryAfter().orElse(null));
            }
            LOG.debug("token lookup-self answered HTTP {}; assuming a token without expiry", r.status());
            return VaultToken.of(value, false, 0, false, List.of(), clock);
        }
        JsonNode data = r.body().path("data");
        return VaultToken.of(value, data.path("renewable").asBoolean(false), data.path("ttl").asLong(0), false,
                LoginAnswer.policies(data), clock);
    }

    @Override
    public String toString() {
        return "TokenLogin{source=" + source + "}";
    }
}
