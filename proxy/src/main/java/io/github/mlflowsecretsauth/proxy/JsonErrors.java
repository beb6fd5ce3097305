package io.github.mlflowsecretsauth.proxy;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every error Jetty itself answers (a request it cannot parse, a handler that threw) in the proxy's JSON shape,
 * with the status's standard reason only: never Jetty's HTML page, never an exception's message, which can quote
 * a header value the client or a backend sent.
 */
final class JsonErrors extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    static String body(int status) {
        String reason = HttpStatus.getMessage(status);
        return Json.error(status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST", "mlflow-secrets-auth: HTTP " + status + " " + reason);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, ByteBuffer.wrap(body(code).getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return ByteBuffer.wrap(body(status).getBytes(StandardCharsets.UTF_8));
    }
}
