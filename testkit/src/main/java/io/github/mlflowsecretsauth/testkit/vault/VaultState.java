package io.github.mlflowsecretsauth.testkit.vault;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole state of one {@link VaultServer}: clock, namespaces (each with mounts, secrets and
 * AppRoles), the token store, the request log and the injected faults.
 *
 * <p>Thread-safe: the namespace set is fixed at construction and every part is thread-safe.
 */
final class VaultState {

    final Clock clock;
    final TokenStore tokens;
    final RequestLog log = new RequestLog();
    final FaultInjector faults = new FaultInjector();
    final String rootToken;
    final LoginMethods logins;
    final CertLogins certs;
    final AwsLogins awsLogins;
    final Wrapping wrapping;
    private final Map<String, NamespaceState> namespaces = new ConcurrentHashMap<>();

    VaultState(Clock clock, String rootToken, Map<String, Integer> mountVersions, Set<String> declaredNamespaces) {
        this.clock = clock;
        this.rootToken = rootToken;
        this.tokens = new TokenStore(clock);
        tokens.addRoot(rootToken);
        this.logins = new LoginMethods(tokens);
        this.certs = new CertLogins(tokens);
        this.awsLogins = new AwsLogins(tokens, clock);
        this.wrapping = new Wrapping(clock);
        Map<String, Integer> mounts = new LinkedHashMap<>(mountVersions);
        namespaces.put("", new NamespaceState("", mounts));
        for (String declared : declaredNamespaces) {
            String name = Namespaces.normalize(declared);
            // Declaring "a/b" declares "a" too, as a child namespace needs its parent.
            String prefix = "";
            for (String part : name.split("/")) {
                prefix = Namespaces.join(prefix, part);
                namespaces.computeIfAbsent(prefix, key -> new NamespaceState(key, mounts));
            }
        }
    }

    /** The namespace, or {@code null} if it was not declared. */
    NamespaceState namespace(String name) {
        return namespaces.get(Namespaces.normalize(name));
    }

    /** The namespace, failing with a clear message for the admin API. */
    NamespaceState requireNamespace(String name) {
        NamespaceState state = namespace(name);
        if (state == null) {
            throw new IllegalArgumentException("namespace '" + name + "' was not declared; use Builder.namespace()");
        }
        return state;
    }

    boolean hasNamespace(String name) {
        return namespaces.containsKey(name);
    }
}
