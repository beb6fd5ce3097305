package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.redact.KnownSecrets;

/**
 * The engine's last guard for provider errors: a message that quotes a known secret value (a cloud SDK
 * echoing what a server sent back, say) is replaced by a copy of the same type, transience and
 * {@code Retry-After} with the value masked. The copy drops the cause, whose own message may hold the
 * value too. Only failed fetches come here. Stateless.
 */
public final class ScrubbedErrors {
    private ScrubbedErrors() {
    }

    /** {@code e} itself if its message holds no known value, else a scrubbed copy. */
    public static SecretsAuthException scrub(SecretsAuthException e, KnownSecrets known) {
        String msg = e.getMessage();
        if (!known.appearsIn(msg) && (e.getCause() == null || !known.appearsIn(String.valueOf(e.getCause().getMessage())))) {
            return e;
        }
        String clean = known.scrub(msg);
        if (e instanceof BackendUnavailableException b) {
            return new BackendUnavailableException(clean, null, b.isTransient(), b.retryAfter().orElse(null));
        }
        if (e instanceof AccessDeniedException) {
            return new AccessDeniedException(clean);
        }
        if (e instanceof SecretNotFoundException) {
            return new SecretNotFoundException(clean);
        }
        if (e instanceof MalformedSecretException) {
            return new MalformedSecretException(clean);
        }
        if (e instanceof ConfigurationException) {
            return new ConfigurationException(clean);
        }
        boolean transientFailure = e.isTransient();
        return new SecretsAuthException(clean) {
            private static final long serialVersionUID = 1L;

            @Override
            public boolean isTransient() {
                return transientFailure;
            }
        };
    }
}
