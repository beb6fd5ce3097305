package io.github.mlflowsecretsauth.testkit.vault;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A role of the testkit Vault's {@code jwt} or {@code kubernetes} auth method, as a test configures it: the
 * claims a token must carry to log in, and the spec of the Vault token a login issues.
 *
 * <p>For {@code jwt} (Vault's JWT/OIDC method): {@code boundAudiences} (when the token has an {@code aud}, one of
 * them must match, as Vault 1.17 and later require), {@code boundSubject} and {@code boundClaims} (each claim
 * equal to one of its values). For {@code kubernetes}: {@code boundServiceAccountNames} and
 * {@code boundServiceAccountNamespaces} (from the token's {@code sub},
 * {@code system:serviceaccount:<namespace>:<name>}; {@code *} allows any) and an optional audience in
 * {@code boundAudiences}. Immutable.
 *
 * @param name the role's name ({@code role} in the login body)
 * @param boundAudiences audiences accepted; empty: a token with an {@code aud} is refused (jwt) or any (kubernetes)
 * @param boundSubject the required {@code sub}, or {@code ""} for any
 * @param boundClaims claim name to the values accepted
 * @param boundServiceAccountNames kubernetes only
 * @param boundServiceAccountNamespaces kubernetes only
 * @param tokenSpec the Vault token a login issues
 */
public record JwtRole(String name, List<String> boundAudiences, String boundSubject, Map<String, List<String>> boundClaims,
                      List<String> boundServiceAccountNames, List<String> boundServiceAccountNamespaces,
                      TokenSpec tokenSpec) {

    /** Copies the lists. */
    public JwtRole {
        Objects.requireNonNull(name, "name");
        boundAudiences = List.copyOf(boundAudiences);
        boundSubject = Objects.requireNonNullElse(boundSubject, "");
        boundClaims = Map.copyOf(boundClaims);
        boundServiceAccountNames = List.copyOf(boundServiceAccountNames);
        boundServiceAccountNamespaces = List.copyOf(boundServiceAccountNamespaces);
        Objects.requireNonNull(tokenSpec, "tokenSpec");
    }

    /** A {@code jwt} role. */
    public static JwtRole jwt(String name, List<String> boundAudiences, String boundSubject,
                              Map<String, List<String>> boundClaims, TokenSpec tokenSpec) {
        return new JwtRole(name, boundAudiences, boundSubject, boundClaims, List.of(), List.of(), tokenSpec);
    }

    /** A {@code kubernetes} role bound to service-account names and namespaces, with an optional audience. */
    public static JwtRole kubernetes(String name, List<String> serviceAccountNames, List<String> namespaces,
                                     List<String> audiences, TokenSpec tokenSpec) {
        return new JwtRole(name, audiences, "", Map.of(), serviceAccountNames, namespaces, tokenSpec);
    }
}
