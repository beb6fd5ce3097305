package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A minimal Vault client for the tests: real sockets through the JDK HttpClient. */
final class VaultHttp {

    /** A response: status, parsed JSON body (missing node when empty) and content type. */
    record Answer(int status, JsonNode json, String contentType) {
        JsonNode errors() {
            return json.path("errors");
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient client;
    private final URI base;
    private final Map<String, String> headers = new LinkedHashMap<>();

    VaultHttp(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    VaultHttp(URI base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    /** Sends {@code X-Vault-Token: token} from now on. */
    VaultHttp token(String token) {
        headers.put("X-Vault-Token", token);
        return this;
    }

    /** Sends {@code X-Vault-Namespace: namespace} from now on. */
    VaultHttp namespace(String namespace) {
        headers.put("X-Vault-Namespace", namespace);
        return this;
    }

    VaultHttp header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    Answer get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    Answer send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? MAPPER.missingNode() : MAPPER.readTree(response.body());
        return new Answer(response.statusCode(), body,
                response.headers().firstValue("Content-Type").orElse(""));
    }
}
