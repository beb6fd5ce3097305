package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.internal.CredentialText;
import io.github.mlflowsecretsauth.internal.HttpStatuses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way a login's answer becomes a {@link VaultToken} or a one-line error: every method posts to
 * {@code auth/<mount>/login...} and Vault answers with the same {@code auth} block. Errors name the login
 * ({@link VaultLogin#label()}) and say what to check ({@code fix}); Vault's own error text is scrubbed of known
 * secrets first. Stateless.
 */
final class LoginAnswer {
    private static final Logger LOG = LoggerFactory.getLogger(LoginAnswer.class);

    private LoginAnswer() {
    }

    /** Posts {@code body} to {@code auth/<mount>/login<suffix>} and reads the token, or throws naming {@code login}. */
    static VaultToken post(VaultHttp http, VaultLogin login, String suffix, JsonNode body, String fix, Clock clock) {
        return post(http, login, suffix, body, fix, java.util.function.UnaryOperator.identity(), clock);
    }

    /** The same, Vault's errors first shortened by {@code explain} (text of the login's own, e.g. STS's XML). */
    static VaultToken post(VaultHttp http, VaultLogin login, String suffix, JsonNode body, String fix,
                           java.util.function.UnaryOperator<String> explain, Clock clock) {
        VaultHttp.Response r = http.post("auth/" + login.mount() + "/login" + suffix, null, body);
        if (!r.ok()) {
            String errors = r.errors(http.known(), explain);
            String said = "HTTP " + r.status() + (errors.isEmpty() ? "" : ": " + errors);
            if (HttpStatuses.isTransient(r.status())) {
                throw new BackendUnavailableException("Vault answered " + said + " to the " + login.label(), null, true,
                        r.retryAfter().orElse(null));
            }
            throw new AccessDeniedException("Vault " + login.label() + " failed (" + said + "): " + fix);
        }
        JsonNode auth = r.body().path("auth");
        String value = auth.path("client_token").asText("");
        if (value.isEmpty()) {
            throw new BackendUnavailableException("Vault's answer to the " + login.label() + " has no auth.client_token",
                    null, false, null);
        }
        CredentialText.requireFromBackend(value, "the auth.client_token of Vault's answer to the " + login.label());
        http.known().add(value);
        long ttl = auth.path("lease_duration").asLong(0);
        boolean renewable = auth.path("renewable").asBoolean(false);
        LOG.info("logged in to Vault: {} (token TTL {} s, renewable {})", login.label(), ttl, renewable);
        return VaultToken.of(value, renewable, ttl, true, policies(auth), clock);
    }

    static List<String> policies(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.path("policies").forEach(p -> out.add(p.asText()));
        return out;
    }
}
