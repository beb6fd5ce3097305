package io.github.mlflowsecretsauth.proxy;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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

    /** Answers {@code status} with the JSON {@code body}: the proxy's one way to write its own answers. */
    static void send(Response response, int status, String body, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** {@code {"error_code": code, "message": message}}, MLflow's error shape. */
    static String error(String code, String message) {
        return object().put("error_code", code).put("message", message).toString();
    }
}
