package io.github.mlflowsecretsauth.tracking.memory.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * JSON helpers shared by the in-process Jetty handlers (the tracking store and the testkit's fakes): one {@link ObjectMapper}, reading a request
 * body and writing a JSON (or empty) response.
 *
 * <p>Thread-safe: the mapper is only used for reading and writing, which Jackson allows
 * concurrently, and the methods keep no state.
 */
public final class JsonHttp {

    /** The mapper every in-process server uses; do not reconfigure it. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonHttp() {}

    /** Reads the whole request body as UTF-8 text (blocking). */
    public static String readBody(Request request) throws IOException {
        return Content.Source.asString(request, StandardCharsets.UTF_8);
    }

    /**
     * Parses a body as a JSON object; a blank body gives an empty object.
     *
     * @throws IllegalArgumentException if the text is not JSON or not a JSON object
     */
    public static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            return MAPPER.createObjectNode();
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("failed to parse JSON input: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode)) {
            throw new IllegalArgumentException("failed to parse JSON input: not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Writes {@code body} as JSON with the given status and {@code Content-Type: application/json}. */
    public static void send(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            callback.failed(e);
            return;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /** Writes a response without a body (for example 204), still labelled as JSON as Vault does. */
    public static void sendEmpty(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, null, callback);
    }
}
