package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Paging of search results as MLflow does it: {@code max_results} items per page and an opaque
 * {@code page_token}, here (as in MLflow's stores) the base64 of {@code {"offset": N}}.
 *
 * <p>Thread-safe: stateless.
 */
final class Pages {

    private Pages() {}

    /** The offset in a {@code page_token}; 0 when absent or empty. */
    static int pageOffset(JsonNode message) {
        String token = JsonFields.string(message, "page_token");
        if (token == null || token.isEmpty()) {
            return 0;
        }
        try {
            JsonNode decoded = JsonHttp.MAPPER.readTree(Base64.getUrlDecoder().decode(token));
            int offset = decoded.path("offset").asInt(-1);
            if (offset >= 0) {
                return offset;
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            // Falls through to the error below.
        }
        throw ApiError.invalidParameter("Invalid page token, could not base64-decode");
    }

    /** The page token that continues at {@code offset}. */
    static String pageToken(int offset) {
        ObjectNode token = JsonHttp.MAPPER.createObjectNode().put("offset", offset);
        return Base64.getUrlEncoder().encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The page of {@code all} that the request's {@code page_token} points at, at most
     * {@code maxResults} long; sets {@code next_page_token} on {@code response} when more follow.
     */
    static <T> List<T> page(List<T> all, JsonNode message, int maxResults, ObjectNode response) {
        int offset = Math.min(pageOffset(message), all.size());
        int end = (int) Math.min((long) offset + maxResults, all.size());
        if (end < all.size()) {
            response.put("next_page_token", pageToken(end));
        }
        return all.subList(offset, end);
    }
}
