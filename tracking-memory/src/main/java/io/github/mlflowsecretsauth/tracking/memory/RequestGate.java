package io.github.mlflowsecretsauth.tracking.memory;

import org.eclipse.jetty.server.Request;

import java.util.Optional;

/**
 * A check in front of every {@link MlflowServer} endpoint, such as an API-Gateway-style SigV4 verifier.
 * It sees the request and its body (null for artifact file transfers, which stream) and either lets
 * the request through (empty) or answers it.
 */
@FunctionalInterface
public interface RequestGate {

    /** An answer that stops the request. */
    record Rejection(int status, String jsonBody) {
    }

    Optional<Rejection> check(Request request, byte[] body);
}
