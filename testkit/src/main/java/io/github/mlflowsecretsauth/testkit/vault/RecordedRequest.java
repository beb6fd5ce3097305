package io.github.mlflowsecretsauth.testkit.vault;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One HTTP request as {@link VaultServer} received it, for assertions in tests: method, decoded
 * path (such as {@code /v1/secret/data/mlflow/auth}), raw query, all headers and the body.
 *
 * <p>Header lookups ignore case. {@link #toString()} masks credential headers
 * ({@code X-Vault-Token}, {@code Authorization}) and leaves the body out, so logging a recorded
 * request never leaks a token; {@link #token()} and {@link #headers()} still give the real values.
 *
 * <p>Thread-safe: immutable.
 *
 * @param method HTTP method
 * @param path decoded request path, without the query
 * @param query raw query string, or {@code null}
 * @param headers header name to values, case-insensitive, unmodifiable
 * @param body request body as UTF-8 text ({@code ""} when none)
 * @param tls whether the request came over TLS
 * @param clientCertificates the chain the client presented in the TLS handshake of its connection (leaf first), empty
 *                           when none (or no TLS)
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              String body, boolean tls, List<X509Certificate> clientCertificates) {

    private static final Set<String> SECRET_HEADERS = Set.of("x-vault-token", "authorization");

    /** Copies the headers into an unmodifiable case-insensitive map. */
    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.merge(name, List.copyOf(values), (a, b) -> {
            List<String> merged = new ArrayList<>(a);
            merged.addAll(b);
            return List.copyOf(merged);
        }));
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? "" : body;
        clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
    }

    /** A request without TLS. */
    public RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {
        this(method, path, query, headers, body, false, List.of());
    }

    /** The subject of the client certificate presented on this request's connection, if any ({@code CN=job,O=...}). */
    public Optional<String> clientCertificateSubject() {
        return clientCertificates.isEmpty() ? Optional.empty()
                : Optional.of(clientCertificates.get(0).getSubjectX500Principal().getName());
    }

    /** The first value of a header, if present. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /**
     * The Vault token the client sent: {@code X-Vault-Token}, else the token of an
     * {@code Authorization: Bearer} header.
     */
    public Optional<String> token() {
        Optional<String> vaultToken = header("X-Vault-Token").filter(value -> !value.isEmpty());
        if (vaultToken.isPresent()) {
            return vaultToken;
        }
        return header("Authorization")
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip())
                .filter(value -> !value.isEmpty());
    }

    /** The {@code X-Vault-Namespace} header, if sent. */
    public Optional<String> namespaceHeader() {
        return header("X-Vault-Namespace");
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
            boolean secret = SECRET_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT));
            text.append(separator).append(header.getKey()).append('=')
                    .append(secret ? "[masked]" : String.join(",", header.getValue()));
            separator = ", ";
        }
        clientCertificateSubject().ifPresent(c -> text.append("} client certificate={").append(c));
        return text.append("} body=").append(body.length()).append(" chars").toString();
    }
}
