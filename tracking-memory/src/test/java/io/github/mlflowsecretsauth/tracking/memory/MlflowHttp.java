package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal MLflow REST client for the tests: real sockets through the JDK HttpClient. */
final class MlflowHttp {

    /** A response: status, raw body, parsed JSON (missing node when empty or not JSON) and headers. */
    record Answer(int status, String body, JsonNode json, HttpResponse<String> raw) {
        String errorCode() {
            return json.path("error_code").asText();
        }
    }

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;
    private final URI base;

    MlflowHttp(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpClient client() {
        return client;
    }

    /** GET {@code /api/2.0/mlflow/<endpoint>} (endpoint may carry a query). */
    Answer get(String endpoint) throws IOException, InterruptedException {
        return send("GET", "/api/2.0/mlflow/" + endpoint, null);
    }

    /** POST a JSON body to {@code /api/2.0/mlflow/<endpoint>}. */
    Answer post(String endpoint, String json) throws IOException, InterruptedException {
        return send("POST", "/api/2.0/mlflow/" + endpoint, json);
    }

    Answer send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed;
        try {
            parsed = response.body().isEmpty() ? MissingNode.getInstance() : MAPPER.readTree(response.body());
        } catch (IOException e) {
            parsed = MissingNode.getInstance();
        }
        return new Answer(response.statusCode(), response.body(), parsed, response);
    }

    /** Creates an experiment and a run in it; returns the run id. */
    String newRun(String experimentName) throws IOException, InterruptedException {
        String experimentId = post("experiments/create", "{\"name\":\"" + experimentName + "\"}")
                .json().path("experiment_id").asText();
        return post("runs/create", "{\"experiment_id\":\"" + experimentId + "\",\"start_time\":1700000000000}")
                .json().path("run").path("info").path("run_id").asText();
    }
}
