package io.github.mlflowsecretsauth.mlflow.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Reads a run's experiment and {@code artifact_uri} with {@code GET /api/2.0/mlflow/runs/get}, through the proxy. */
final class RunLookup {
    record RunRef(String runId, String experimentId, String artifactUri) {}

    private RunLookup() {
    }

    static RunRef get(HttpClient http, ApiServer server, String runId) {
        if (runId == null || runId.isBlank() || !runId.matches("[A-Za-z0-9_-]{1,256}")) {
            throw new ArtifactException("invalid run id '" + runId + "': expected letters, digits, '-' or '_'");
        }
        URI uri = URI.create(Urls.withPath(server.uri(), "/api/2.0/mlflow/runs/get") + "?run_id="
                + URLEncoder.encode(runId, StandardCharsets.UTF_8));
        HttpResponse<InputStream> response;
        try {
            response = ArtifactHttp.send(http, server.request(uri).GET().build());
            if (response.statusCode() == 404) {
                response.body().close();
                throw new ArtifactException("run '" + runId + "' not found on the MLflow server");
            }
            JsonNode info = ArtifactHttp.json(response, "reading run '" + runId + "'").path("run").path("info");
            String artifactUri = info.path("artifact_uri").asText("");
            if (artifactUri.isEmpty()) {
                throw new ArtifactException("run '" + runId + "' has no artifact_uri");
            }
            return new RunRef(runId, info.path("experiment_id").asText(""), artifactUri);
        } catch (ConnectException e) {
            throw new BackendUnavailableException("cannot connect to the MLflow server to read run '" + runId + "'", e);
        } catch (IOException e) {
            throw new ArtifactException(e.getMessage(), e);
        }
    }
}
