package io.github.mlflowsecretsauth.testkit.aws;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.server.Request;

/**
 * A received HTTP request in the form {@link SigV4Verifier} checks: method, the path and query
 * exactly as they came on the wire (still percent-encoded), every header, and the body.
 *
 * <p>Thread-safe: immutable (the body array is not copied; do not change it).
 *
 * @param method   HTTP method
 * @param rawPath  request path as sent, percent-encoded
 * @param rawQuery query as sent, or {@code null}
 * @param headers  header name to values, looked up ignoring case
 * @param body     the body bytes ({@code byte[0]} when none)
 */
public record SignedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    public SignedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body;
    }

    /**
     * Captures a Jetty request whose body has already been read into {@code body}. Start the Jetty
     * connector with {@code HttpConfiguration.setHeaderCacheCaseSensitive(true)}: otherwise Jetty
     * replaces header values by cached ones that differ in case ({@code charset=utf-8} becomes
     * {@code charset=UTF-8}) and signatures over them no longer match.
     */
    public static SignedRequest of(Request request, byte[] body) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), n -> new ArrayList<>()).add(field.getValue());
        }
        return new SignedRequest(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                headers, body);
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public String toString() {
        return "SignedRequest{" + method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery) + ", " + body.length + " bytes}";
    }
}
