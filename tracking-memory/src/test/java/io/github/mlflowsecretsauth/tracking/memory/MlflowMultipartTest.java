package io.github.mlflowsecretsauth.tracking.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MLflow's multipart upload endpoints and the presigned-style part store behind them. */
class MlflowMultipartTest {

    private static final String MPU = "/api/2.0/mlflow-artifacts/mpu/";

    @TempDir
    Path temp;

    private MlflowServer server;
    private MlflowHttp http;

    @BeforeEach
    void start() {
        server = MlflowServer.builder().artifactRoot(temp.resolve("artifacts")).start();
        http = new MlflowHttp(server.uri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createPartsComplete_assemblesThePartsInOrder() throws Exception {
        JsonNode create = http.send("POST", MPU + "create/1/run/artifacts/model", "{\"path\": \"/home/u/weights.bin\", \"num_parts\": 3}").json();
        String uploadId = create.path("upload_id").asText();
        assertThat(create.path("credentials")).hasSize(3);
        List<String> etags = new ArrayList<>();
        // Parts arrive out of order, as parallel uploads do.
        for (int part : new int[] {3, 1, 2}) {
            JsonNode credential = create.path("credentials").get(part - 1);
            assertThat(credential.path("part_number").asInt()).isEqualTo(part);
            assertThat(credential.path("url").asText()).startsWith(server.uri() + "/testkit-storage/mpu/" + uploadId + "/");
            HttpResponse<String> put = putPart(credential, "part-" + part + ";", null);
            assertThat(put.statusCode()).isEqualTo(200);
            etags.add(put.headers().firstValue("ETag").orElseThrow());
        }
        String parts = "[{\"part_number\": 1, \"etag\": " + quote(etags.get(1)) + "}, {\"part_number\": 2, \"etag\": "
                + quote(etags.get(2)) + "}, {\"part_number\": 3, \"etag\": " + quote(etags.get(0)) + "}]";
        MlflowHttp.Answer complete = http.send("POST", MPU + "complete/1/run/artifacts/model",
                "{\"path\": \"weights.bin\", \"upload_id\": \"" + uploadId + "\", \"parts\": " + parts + "}");
        assertThat(complete.status()).isEqualTo(200);
        assertThat(Files.readString(server.artifactRoot().resolve("1/run/artifacts/model/weights.bin")))
                .isEqualTo("part-1;part-2;part-3;");
        assertThat(server.multipartStats()).isEqualTo(new MultipartStats(true, 1, 3, 1, 0, 0, 0));
    }

    @Test
    void aPartCarryingAnAuthorizationHeader_isRefusedAndCounted() throws Exception {
        JsonNode create = http.send("POST", MPU + "create/x", "{\"path\": \"a.bin\", \"num_parts\": 1}").json();
        HttpResponse<String> leaked = putPart(create.path("credentials").get(0), "data", "Bearer mlflow-token");
        assertThat(leaked.statusCode()).isEqualTo(403);
        assertThat(leaked.body()).contains("must not be sent to a part URL").doesNotContain("mlflow-token");
        assertThat(server.multipartStats().refusedCredentials()).isEqualTo(1);
        assertThat(server.multipartStats().partsStored()).isZero();
    }

    @Test
    void completeWithAWrongEtag_isRejected_andAbortCleansUp() throws Exception {
        JsonNode create = http.send("POST", MPU + "create/x", "{\"path\": \"a.bin\", \"num_parts\": 1}").json();
        String uploadId = create.path("upload_id").asText();
        assertThat(putPart(create.path("credentials").get(0), "data", null).statusCode()).isEqualTo(200);
        MlflowHttp.Answer complete = http.send("POST", MPU + "complete/x", "{\"path\": \"a.bin\", \"upload_id\": \"" + uploadId
                + "\", \"parts\": [{\"part_number\": 1, \"etag\": \"\\\"nope\\\"\"}]}");
        assertThat(complete.status()).isEqualTo(400);
        assertThat(http.send("POST", MPU + "abort/x", "{\"path\": \"a.bin\", \"upload_id\": \"" + uploadId + "\"}").status()).isEqualTo(200);
        assertThat(server.multipartStats()).isEqualTo(new MultipartStats(true, 1, 1, 0, 1, 0, 0));
        assertThat(server.artifactRoot().resolve("x/a.bin")).doesNotExist();
    }

    @Test
    void withMultipartOff_answersAsMlflowDoesForAStoreWithoutIt() throws Exception {
        server.multipartUploads(false);
        MlflowHttp.Answer create = http.send("POST", MPU + "create/x", "{\"path\": \"a.bin\", \"num_parts\": 2}");
        assertThat(create.status()).isEqualTo(501);
        assertThat(create.json().path("error_code").asText()).isEqualTo("NOT_IMPLEMENTED");
        assertThat(create.json().path("message").asText())
                .startsWith("Multipart upload is not supported for the current artifact repository");
        assertThat(server.multipartStats().created()).isZero();
    }

    @Test
    void injectedPartFailure_answers500Once() throws Exception {
        JsonNode create = http.send("POST", MPU + "create/x", "{\"path\": \"a.bin\", \"num_parts\": 1}").json();
        server.failNextParts(1);
        assertThat(putPart(create.path("credentials").get(0), "data", null).statusCode()).isEqualTo(500);
        assertThat(putPart(create.path("credentials").get(0), "data", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> putPart(JsonNode credential, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(credential.path("url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        credential.path("headers").fields().forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String etag) {
        return MlflowHttp.MAPPER.valueToTree(etag).toString();
    }
}
