package io.github.mlflowsecretsauth.mlflow.artifacts;

import java.net.URI;
import java.net.URISyntaxException;

/** Builds request URIs with percent-encoded paths and queries from plain strings. */
final class Urls {
    private Urls() {
    }

    /** {@code base} with {@code suffix} (a decoded path) appended to its path, encoded. */
    static URI withPath(URI base, String suffix) {
        return build(base, suffix, null);
    }

    /** {@code base} with {@code suffix} appended to its path and {@code query} (decoded) as the query. */
    static URI build(URI base, String suffix, String query) {
        String path = (base.getPath() == null ? "" : stripTrailing(base.getPath())) + suffix;
        try {
            return new URI(base.getScheme(), base.getRawAuthority() == null ? null : base.getAuthority(), path, query, null);
        } catch (URISyntaxException e) {
            throw new ArtifactException("cannot build a URL for artifact path '" + suffix + "': " + e.getReason());
        }
    }

    private static String stripTrailing(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
