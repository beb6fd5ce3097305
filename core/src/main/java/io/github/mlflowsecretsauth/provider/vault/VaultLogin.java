package io.github.mlflowsecretsauth.provider.vault;

import java.time.Clock;

/**
 * One way of obtaining a Vault token, in the manner of Spring Vault's {@code ClientAuthentication}
 * ({@code AppRoleAuthentication}, {@code KubernetesAuthentication}, ...): each method is one small class, so adding
 * one touches one file and its test. {@link VaultSession} owns the token's life (renewal, re-login, revocation);
 * a login only obtains a token. Implementations are immutable apart from what they read at each login (a rotated
 * token file); thread-safe. Failures are one line naming the method, the mount and the role or user
 * ({@link #label()}), never a credential.
 */
interface VaultLogin {

    /** The method's name, as {@code VAULT_AUTH_METHOD} spells it: {@code token}, {@code approle}, {@code kubernetes}, ... */
    String method();

    /** The auth mount, e.g. {@code kubernetes} for {@code auth/kubernetes/login}. */
    String mount();

    /** Who logs in, for messages and {@code info}: {@code role mlflow}, {@code user alice}; empty when nobody in particular. */
    String who();

    /** Whether the token was given to this process ({@code VAULT_TOKEN}) rather than obtained by it: never revoked, never obtained again. */
    default boolean given() {
        return false;
    }

    /** Obtains a token now (or, for a given token, learns its lease). */
    VaultToken login(VaultHttp http, Clock clock);

    /** {@code kubernetes login at auth/kubernetes (role mlflow)}: how messages name this login. */
    default String label() {
        return method() + " login at auth/" + mount() + (who().isEmpty() ? "" : " (" + who() + ")");
    }
}
