package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.time.Instant;
import java.util.Map;

/**
 * One request after the server has resolved its namespace and token: the method, the logical path
 * inside the namespace (such as {@code secret/data/mlflow/auth}), query parameters and body.
 *
 * <p>Thread-safe: immutable; confined to the request's thread anyway.
 *
 * @param method HTTP method, upper case
 * @param namespace the request's namespace ({@code ""} for root)
 * @param path logical path without {@code /v1/} or namespace prefix
 * @param query decoded query parameters (first value of each)
 * @param body raw request body
 * @param token the authenticated token, or {@code null} before authentication
 * @param now the server clock's current instant
 */
record VaultCall(String method, String namespace, String path, Map<String, String> query, String body,
                 TokenEntry token, Instant now) {

    boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    boolean isWrite() {
        return method.equals("POST") || method.equals("PUT");
    }

    boolean isDelete() {
        return method.equals("DELETE");
    }

    /**
     * The body as a JSON object.
     *
     * @throws IllegalArgumentException if it is not one
     */
    ObjectNode json() {
        return JsonHttp.parseObject(body);
    }

    VaultCall withToken(TokenEntry entry) {
        return new VaultCall(method, namespace, path, query, body, entry, now);
    }

    VaultCall withPath(String newPath) {
        return new VaultCall(method, namespace, newPath, query, body, token, now);
    }
}
