package io.github.mlflowsecretsauth.header;

import io.github.mlflowsecretsauth.spi.RequestBody;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/** The credential header(s) of the engine's cache: the same on every request, whatever its method or body. */
public final class SecretHeaderSource implements HeaderSource {
    private final Function<URI, Map<String, String>> cached;
    private final String label;

    /** @param cached the engine's cached headers for a URI (empty when the host is not allowed) */
    public SecretHeaderSource(Function<URI, Map<String, String>> cached, String label) {
        this.cached = cached;
        this.label = label;
    }

    @Override
    public boolean signsEachRequest() {
        return false;
    }

    @Override
    public Map<String, String> headersFor(String method, URI uri, String host, RequestBody body) {
        return cached.apply(uri);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return "SecretHeaderSource{" + label + "}";
    }
}
