package io.github.mlflowsecretsauth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * What the JSON-over-HTTP providers (Vault in the core, Google Secret Manager in the gcp module) read from a
 * backend's answer the same way. For the project's modules; not a stable API.
 */
public final class HttpAnswers {
    private HttpAnswers() {
    }

    /** The body as JSON, or {@link MissingNode} when it is empty or not JSON (an error page, a proxy's HTML). */
    public static JsonNode jsonOrMissing(ObjectMapper json, String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode n = json.readTree(body);
            return n == null ? MissingNode.getInstance() : n;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** A {@code Retry-After} given in seconds; empty when absent, negative or an HTTP date. */
    public static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                long seconds = Long.parseLong(v.strip());
                return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }
}
