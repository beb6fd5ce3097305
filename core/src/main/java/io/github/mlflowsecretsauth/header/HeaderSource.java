package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.spi.RequestBody;

import java.net.URI;
import java.util.Map;

/**
 * Where a request's authentication headers come from: a cached credential that is the same on every request
 * ({@link SecretHeaderSource}), or a signature made for each request over its method, URI and body
 * ({@link SignedHeaderSource}, AWS SigV4). The engine picks one; callers ask it what it needs instead of
 * checking which one it is. Thread-safe.
 */
public interface HeaderSource {

    /** True when the headers depend on the request itself, so its body must be read before it is sent. */
    boolean signsEachRequest();

    /**
     * The headers for one request; an empty map when {@code uri}'s host is not on the allowlist.
     *
     * @param body the body as it will be sent; read only when {@link #signsEachRequest()}
     */
    Map<String, String> headersFor(String method, URI uri, String host, RequestBody body);

    /** For reports: where the credential comes from, e.g. {@code credentials from vault}. Never a value. */
    String label();
}
