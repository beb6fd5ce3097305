package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One HTTP request as {@link MlflowServer} received it, for assertions in tests: method, decoded
 * path (such as {@code /api/2.0/mlflow/runs/log-metric}), raw query, the body parsed as JSON
 * ({@code null} for no body, a body that is not JSON, and artifact uploads, which are never held
 * in memory) and all headers.
 *
 * <p>Header lookups ignore case. {@link #toString()} masks the values of credential headers
 * ({@code Authorization}, {@code Proxy-Authorization}, {@code Cookie}, and any header whose name
 * mentions a token, key, secret, password or auth), so logging a call never leaks a credential;
 * {@link #header(String)} and {@link #headers()} still give the real values.
 *
 * <p>Thread-safe: immutable ({@link #body()} returns a copy).
 *
 * @param method HTTP method
 * @param path decoded request path, without the query
 * @param query raw query string, or {@code null}
 * @param body the JSON body, or {@code null}
 * @param headers header name to values, case-insensitive, unmodifiable
 */
public record RecordedCall(String method, String path, String query, JsonNode body,
                           Map<String, List<String>> headers) {

    private static final List<String> SECRET_WORDS =
            List.of("authorization", "cookie", "token", "secret", "password", "key", "auth", "credential");

    /** Copies the body and headers. */
    public RecordedCall {
        body = body == null ? null : body.deepCopy();
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
            List<String> merged = new ArrayList<>(a);
            merged.addAll(b);
            return List.copyOf(merged);
        }));
        headers = Collections.unmodifiableMap(copy);
    }

    /** The JSON body (a copy), or {@code null}. */
    @Override
    public JsonNode body() {
        return body == null ? null : body.deepCopy();
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Whether a header's value is masked by {@link #toString()}. */
    static boolean isSecretHeader(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(lower::contains);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(method).append(' ').append(path);
        if (query != null) {
            text.append('?').append(query);
        }
        text.append(" headers={");
        String separator = "";
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            text.append(separator).append(header.getKey()).append('=')
                    .append(isSecretHeader(header.getKey()) ? "[masked]" : String.join(",", header.getValue()));
            separator = ", ";
        }
        text.append('}');
        if (body != null) {
            String json = body.toString();
            text.append(" body=").append(json.length() > 500 ? json.substring(0, 500) + "..." : json);
        }
        return text.toString();
    }
}
