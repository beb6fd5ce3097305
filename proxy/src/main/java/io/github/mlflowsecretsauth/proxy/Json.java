package io.github.mlflowsecretsauth.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the proxy's small JSON answers with Jackson. Stateless. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** {@code {"error_code": code, "message": message}}, MLflow's error shape. */
    static String error(String code, String message) {
        return object().put("error_code", code).put("message", message).toString();
    }
}
