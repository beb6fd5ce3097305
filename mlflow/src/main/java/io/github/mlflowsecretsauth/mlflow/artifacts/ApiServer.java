package io.github.mlflowsecretsauth.mlflow.artifacts;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Where MLflow API calls go (the embedded proxy, or a server that needs no credential) and the {@code Authorization}
 * they carry there: the proxy's per-run client token, never the MLflow credential (the proxy adds that). Part URLs
 * of a multipart upload are not this server and never get it. {@link #toString()} shows the URI only. Immutable.
 */
final class ApiServer {
    private final URI uri;
    private final Optional<String> authorization;

    ApiServer(URI uri, String authorization) {
        this.uri = Objects.requireNonNull(uri);
        this.authorization = Optional.ofNullable(authorization);
    }

    URI uri() {
        return uri;
    }

    /** A request to {@code target} on this server, with its {@code Authorization} if it has one. */
    HttpRequest.Builder request(URI target) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target);
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    @Override
    public String toString() {
        return "ApiServer{" + uri + "}";
    }
}
