package io.github.mlflowsecretsauth.mlflow.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.error.MlflowAuthenticationException;
import io.github.mlflowsecretsauth.redact.Redactor;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The JDK HTTP client set-up and error reading shared by the artifact code: HTTP/1.1, no redirects followed (a
 * redirect is an error, so nothing is ever resent elsewhere), MLflow's {@code {"error_code", "message"}} errors read
 * into one line.
 */
final class ArtifactHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR_BODY = 4096;

    private ArtifactHttp() {
    }

    /** A client that follows no redirect. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    /** Sends and returns the response with its body as a stream, mapping interruption to {@link InterruptedIOException}. */
    static HttpResponse<InputStream> send(HttpClient http, HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted");
            io.initCause(e);
            throw io;
        }
    }

    /** Reads a small JSON response body, or throws the failure described by {@link #failure}. */
    static JsonNode json(HttpResponse<InputStream> response, String what) throws IOException {
        if (response.statusCode() != 200) {
            throw failure(response, what);
        }
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(64 * 1024 * 1024);
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        }
    }

    /**
     * The exception for a non-2xx answer: {@link MlflowAuthenticationException} for 401/403, else an
     * {@link IOException} naming {@code what}, the status and MLflow's error code and message. Consumes the body.
     */
    static IOException failure(HttpResponse<InputStream> response, String what) throws IOException {
        String text;
        try (InputStream body = response.body()) {
            text = new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8);
        }
        return failure(response.statusCode(), text, what);
    }

    /** Like {@link #failure(HttpResponse, String)} for a body already read. */
    static IOException failure(int status, String text, String what) {
        String detail = detail(text);
        if (status == 401 || status == 403) {
            throw new MlflowAuthenticationException(status, "MLflow authentication error (HTTP " + status + ") while "
                    + what + (detail.isEmpty() ? "" : ": " + detail));
        }
        if (status >= 300 && status < 400) {
            return new IOException(what + " failed: the server answered a redirect (HTTP " + status + "), which is not followed");
        }
        return new IOException(what + " failed: HTTP " + status + (detail.isEmpty() ? "" : " " + detail));
    }

    /** {@code ERROR_CODE: message} from an MLflow error body, else the body on one line. */
    static String detail(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.has("error_code")) {
                return Redactor.oneLine(node.path("error_code").asText() + ": " + node.path("message").asText(), 300);
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall through to the raw text
        }
        return Redactor.oneLine(body, 300);
    }

    /** The MLflow error message of a JSON body, or "". */
    static String message(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? "" : node.path("message").asText("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
