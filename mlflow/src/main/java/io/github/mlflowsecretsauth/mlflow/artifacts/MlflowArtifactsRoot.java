package io.github.mlflowsecretsauth.mlflow.artifacts;

import java.net.URI;
import java.util.Optional;

/**
 * MLflow's reading of artifact roots served by the tracking server ({@code MlflowArtifactsRepository.resolve_uri}
 * and {@code HttpArtifactRepository}): {@code mlflow-artifacts:/P} and {@code mlflow-artifacts://host:port/P} mean
 * {@code <tracking server>/api/2.0/mlflow-artifacts/artifacts/P}, as does an http(s) URL that contains that
 * endpoint.
 */
final class MlflowArtifactsRoot {
    static final String SCHEME = "mlflow-artifacts";
    static final String ENDPOINT = "/api/2.0/mlflow-artifacts/artifacts";

    private MlflowArtifactsRoot() {
    }

    /** The path {@code P} below the artifacts endpoint, without slashes at either end. */
    static String path(URI root) {
        if (SCHEME.equalsIgnoreCase(root.getScheme())) {
            return trim(root.getPath() == null ? "" : root.getPath());
        }
        String path = root.getPath() == null ? "" : root.getPath();
        int at = path.indexOf(ENDPOINT);
        return trim(path.substring(at + ENDPOINT.length()));
    }

    /** The server named in the root ({@code host:port}), if any: empty for {@code mlflow-artifacts:/P}. */
    static Optional<String> authority(URI root) {
        return Optional.ofNullable(root.getRawAuthority()).filter(a -> !a.isEmpty());
    }

    /** Whether an http(s) root points at the mlflow-artifacts endpoint. */
    static boolean isHttpArtifactsRoot(URI root) {
        String scheme = root.getScheme() == null ? "" : root.getScheme().toLowerCase(java.util.Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https")) && root.getPath() != null && root.getPath().contains(ENDPOINT);
    }

    private static String trim(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
