package io.github.mlflowsecretsauth.mlflow.artifacts;

import java.net.URI;
import java.util.Optional;

/**
 * Where a run's artifacts live: the run's {@code artifact_uri}, unless {@value ArtifactSettings#ARTIFACT_ROOT} is set
 * (seed 000: the artifacts sit in a bucket the client reaches directly, with project-scoped credentials):
 * <ul>
 *   <li>a run URI that already starts with the override is kept as it is;</li>
 *   <li>{@code mlflow-artifacts:/P} (or {@code mlflow-artifacts://host/P}) becomes {@code <root>/P}, as
 *       {@code mlflow server --artifacts-destination <root>} maps it;</li>
 *   <li>anything else becomes {@code <root>/<experiment_id>/<run_id>/artifacts}, the layout MLflow's stores give a
 *       run under a default artifact root.</li>
 * </ul>
 */
public final class RunArtifactRoot {
    private RunArtifactRoot() {
    }

    /** The artifact root of a run. */
    public static URI resolve(String runArtifactUri, String experimentId, String runId, Optional<String> override) {
        if (override.isEmpty()) {
            return parse(runArtifactUri);
        }
        String root = trimSlashes(override.get());
        if (runArtifactUri.startsWith(root + "/") || runArtifactUri.equals(root)) {
            return parse(runArtifactUri);
        }
        if (runArtifactUri.startsWith(MlflowArtifactsRoot.SCHEME + ":")) {
            return parse(root + "/" + ArtifactPaths.check(MlflowArtifactsRoot.path(parse(runArtifactUri))));
        }
        return parse(root + "/" + experimentId + "/" + runId + "/artifacts");
    }

    static URI parse(String uri) {
        try {
            return URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new ArtifactException("the artifact root '" + uri + "' is not a valid URI: " + e.getMessage());
        }
    }

    private static String trimSlashes(String root) {
        String r = root;
        while (r.endsWith("/") && !r.endsWith(":/") && !r.endsWith("://")) {
            r = r.substring(0, r.length() - 1);
        }
        return r;
    }
}
