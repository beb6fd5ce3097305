package io.github.mlflowsecretsauth.spi;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Makes the body of one Vault login, fresh at each login (a signature is valid for minutes only; credentials are
 * resolved again). Created by a {@link VaultLoginFactory}; closed when the Vault provider closes. Thread-safe;
 * {@link #toString()} shows no credential.
 */
public interface VaultLoginBody extends AutoCloseable {

    /**
     * The login body, made now.
     *
     * @param fields  the JSON fields of {@code POST auth/<mount>/login} (all strings)
     * @param secrets values among them, or inside them, that must never be shown (a signature, a session token):
     *                the provider registers them with the engine's known secrets before sending
     */
    record Body(Map<String, String> fields, List<String> secrets) {
        public Body {
            fields = Map.copyOf(fields);
            secrets = List.copyOf(secrets);
        }

        @Override
        public String toString() {
            return "Body{fields=" + fields.keySet() + "}";
        }
    }

    /**
     * Makes the body at {@code clock}'s instant (the engine's clock, injected in tests).
     *
     * @throws io.github.mlflowsecretsauth.error.AccessDeniedException with a one-line reason (which the provider
     *         prefixes with the login's method, mount and role) when no credentials can be had; never a credential
     */
    Body make(Clock clock);

    /** What to check when Vault refuses the login, e.g. {@code check VAULT_AUTH_ROLE and ...}. */
    String fix();

    /**
     * One of Vault's errors about this login, shortened for a one-line message (the provider then scrubs and cuts it
     * at 160 characters): e.g. the AWS login keeps STS's error code and message out of the XML Vault passes on.
     */
    default String explain(String vaultError) {
        return vaultError;
    }

    /** Non-secret facts for {@code info} and {@code doctor}, e.g. where the AWS credentials come from. */
    default Map<String, String> describe() {
        return Map.of();
    }

    /** Releases what {@link VaultLoginFactory#create} opened (an AWS credential chain's threads); never throws. */
    @Override
    default void close() {
    }
}
