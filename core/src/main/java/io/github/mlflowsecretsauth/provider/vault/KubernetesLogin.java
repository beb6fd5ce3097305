package io.github.mlflowsecretsauth.provider.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code kubernetes}: {@code POST auth/<mount>/login} with {@code VAULT_AUTH_ROLE} and the pod's service-account
 * token, read from {@code VAULT_KUBERNETES_TOKEN_PATH} at every login because the kubelet rotates it (as Spring
 * Vault's {@code KubernetesAuthentication} and Vault Agent do). Immutable.
 */
record KubernetesLogin(String mount, String role, Path tokenPath) implements VaultLogin {
    static final Path DEFAULT_TOKEN_PATH = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    @Override
    public String method() {
        return "kubernetes";
    }

    @Override
    public String who() {
        return "role " + role;
    }

    @Override
    public VaultToken login(VaultHttp http, Clock clock) {
        String jwt = LoginFiles.token(tokenPath, VaultLogins.KUBERNETES_TOKEN_PATH, label());
        http.known().add(jwt);
        ObjectNode body = VaultHttp.json().createObjectNode();
        body.put("role", role);
        body.put("jwt", jwt);
        return LoginAnswer.post(http, this, "", body, "check " + VaultLogins.AUTH_ROLE + ", that the role binds this pod's"
                + " service account and namespace, and that " + tokenPath + " holds a current token", clock);
    }
}
