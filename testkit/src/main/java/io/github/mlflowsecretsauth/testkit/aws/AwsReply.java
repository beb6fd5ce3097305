package io.github.mlflowsecretsauth.testkit.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * An answer in one of the two AWS wire formats this testkit speaks: JSON 1.1 (Secrets Manager:
 * {@code application/x-amz-json-1.1}, errors as {@code {"__type":...,"message":...}}) and the query
 * protocol's XML (STS: {@code <ErrorResponse><Error><Type/><Code/><Message/>...}).
 *
 * <p>Thread-safe: immutable.
 *
 * @param status      HTTP status
 * @param contentType the Content-Type header
 * @param body        the body bytes
 * @param errorType   the error code, when it is an error
 */
record AwsReply(int status, String contentType, byte[] body, Optional<String> errorType) {
    static final String JSON_11 = "application/x-amz-json-1.1";

    static AwsReply json(Map<String, Object> body) {
        return new AwsReply(200, JSON_11, bytes(body), Optional.empty());
    }

    static AwsReply jsonError(AwsError e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", e.type);
        body.put("message", e.getMessage());
        return new AwsReply(e.status, JSON_11, bytes(body), Optional.of(e.type));
    }

    static AwsReply xml(String xml) {
        return new AwsReply(200, "text/xml", xml.getBytes(StandardCharsets.UTF_8), Optional.empty());
    }

    static AwsReply xmlError(AwsError e, String namespace) {
        String xml = "<ErrorResponse xmlns=\"" + namespace + "\">\n  <Error>\n    <Type>" + (e.status >= 500 ? "Receiver" : "Sender")
                + "</Type>\n    <Code>" + escape(e.type) + "</Code>\n    <Message>" + escape(e.getMessage()) + "</Message>\n  </Error>\n"
                + "  <RequestId>" + UUID.randomUUID() + "</RequestId>\n</ErrorResponse>\n";
        return new AwsReply(e.status, "text/xml", xml.getBytes(StandardCharsets.UTF_8), Optional.of(e.type));
    }

    void send(Response response, Callback callback) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put("x-amzn-RequestId", UUID.randomUUID().toString());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }

    private static byte[] bytes(Object body) {
        try {
            return JsonHttp.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
