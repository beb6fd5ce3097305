package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.aws.SigV4Result;
import io.github.mlflowsecretsauth.testkit.aws.SigV4Verifier;
import io.github.mlflowsecretsauth.testkit.aws.SignedRequest;
import io.github.mlflowsecretsauth.testkit.mlflow.MlflowServer;
import io.github.mlflowsecretsauth.testkit.mlflow.RequestGate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MLFLOW_TRACKING_AWS_SIGV4=true: an API-Gateway-style SigV4 verifier in front of the testkit MLflow
 * server accepts the official client's requests through the library, and the proxy's, signed with the
 * project-scoped (MLFLOW_AWS_*) key, and rejects them when signing is off.
 */
class SigV4EndToEndTest {
    private static final String PROJECT_KEY = "AKIAPROJECTKEY000001";
    private static final String PROJECT_SECRET = "CANARYprojectSecretKey0000000000000000001";
    private static final String GLOBAL_KEY = "AKIAGLOBALKEY0000001";

    private final List<String> signedBy = new CopyOnWriteArrayList<>();
    private MlflowServer mlflow;

    @BeforeEach
    void start() {
        SigV4Verifier verifier = SigV4Verifier.of(List.of(AwsPrincipal.user("mlflow", PROJECT_KEY, PROJECT_SECRET),
                AwsPrincipal.user("other", GLOBAL_KEY, "globalSecretKey000000000000000000000001")));
        RequestGate gate = (request, body) -> {
            if (body == null) {
                return Optional.empty(); // artifact transfers stream; the JSON API is what is checked here
            }
            SigV4Result r = verifier.verify(SignedRequest.of(request, body), "eu-west-1", "execute-api");
            r.accessKeyId().ifPresent(signedBy::add);
            return r.valid() ? Optional.empty() : Optional.of(new RequestGate.Rejection(403,
                    "{\"message\":\"" + r.outcome() + "\"}"));
        };
        mlflow = MlflowServer.builder().gate(gate).start();
    }

    @AfterEach
    void stop() {
        mlflow.close();
    }

    private SecretsAuth engine(boolean sigv4) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_TRACKING_AWS_SIGV4", String.valueOf(sigv4));
        s.put("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT_KEY);
        s.put("MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET);
        s.put("AWS_ACCESS_KEY_ID", GLOBAL_KEY);
        s.put("AWS_SECRET_ACCESS_KEY", "globalSecretKey000000000000000000000001");
        s.put("MLFLOW_AWS_DEFAULT_REGION", "eu-west-1");
        s.put("AWS_REGION", "us-east-1");
        s.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build();
    }

    @Test
    void officialClient_throughTheLibrary_isSignedWithTheProjectKey() {
        try (SecretsAuth engine = engine(true);
             MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            String exp = client.createExperiment("signed");
            RunInfo run = client.createRun(exp);
            client.logParam(run.getRunId(), "alpha", "0.1");
            client.logMetric(run.getRunId(), "rmse", 0.5);
            client.setTerminated(run.getRunId());
            assertThat(mlflow.run(run.getRunId()).orElseThrow().params()).containsEntry("alpha", "0.1");
            assertThat(engine.status().authType()).isEqualTo("sigv4");
        }
        assertThat(signedBy).isNotEmpty().allMatch(PROJECT_KEY::equals);
    }

    @Test
    void proxy_signsPlainRequests_includingABodyLargerThanTheReplayBuffer() throws Exception {
        try (SecretsAuth engine = engine(true); AuthProxy proxy = AuthProxy.builder(engine, mlflow.uri()).start()) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> small = http.send(HttpRequest.newBuilder(URI.create(proxy.uri() + "/api/2.0/mlflow/experiments/create"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"via-proxy\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
            String exp = mlflow.experimentByName("via-proxy").orElseThrow().experimentId();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(proxy.uri() + "/api/2.0/mlflow/runs/create"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"experiment_id\":\"" + exp + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            String runId = created.body().replaceAll(".*\"run_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            StringBuilder big = new StringBuilder("{\"run_id\":\"" + runId + "\",\"params\":[{\"key\":\"blob\",\"value\":\"");
            big.append("x".repeat(6000)).append("\"}],\"tags\":[");
            for (int i = 0; i < 99; i++) {
                big.append(i == 0 ? "" : ",").append("{\"key\":\"t").append(i).append("\",\"value\":\"").append("y".repeat(11000)).append("\"}");
            }
            big.append("],\"metrics\":[]}");
            assertThat(big.length()).isGreaterThan(1 << 20); // above the 1 MiB replay buffer, and sent chunked
            HttpResponse<String> large = http.send(HttpRequest.newBuilder(URI.create(proxy.uri() + "/api/2.0/mlflow/runs/log-batch"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.toString().getBytes())))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(large.statusCode()).as(large.body()).isEqualTo(200);
            assertThat(mlflow.run(runId).orElseThrow().tags()).hasSize(99 + 1);
        }
        assertThat(signedBy).isNotEmpty().allMatch(PROJECT_KEY::equals);
    }

    @Test
    void artifactUpload_isSignedOverTheBytesActuallySent() throws Exception {
        SigV4Verifier verifier = SigV4Verifier.of(List.of(AwsPrincipal.user("mlflow", PROJECT_KEY, PROJECT_SECRET)));
        List<String> outcomes = new CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer gateway = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
            SigV4Result r = verifier.verify(new SignedRequest(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(), headers, body), "eu-west-1", "execute-api");
            outcomes.add(r.outcome() + ":" + body.length);
            ex.sendResponseHeaders(r.valid() ? 200 : 403, -1);
            ex.close();
        });
        gateway.start();
        try (SecretsAuth engine = engine(true);
             AuthProxy proxy = AuthProxy.builder(engine, URI.create("http://127.0.0.1:" + gateway.getAddress().getPort())).start()) {
            byte[] artifact = new byte[3 * 1024 * 1024];
            new java.util.Random(3).nextBytes(artifact);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(proxy.uri()
                    + "/api/2.0/mlflow-artifacts/artifacts/0/run/artifacts/model.bin"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(artifact)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(outcomes).containsExactly("VALID:" + artifact.length);
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void theLibrarysHeaderSource_signsOneRequestTheGatewayAccepts_andHeadersForUriRefusesInOneLine() throws Exception {
        byte[] body = "{\"name\":\"signed-by-hand\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        URI create = URI.create(mlflow.uri() + "/api/2.0/mlflow/experiments/create");
        try (SecretsAuth engine = engine(true)) {
            assertThat(engine.headerSource().signsEachRequest()).isTrue();
            assertThat(engine.hasCredentialSource()).isTrue();
            assertThatThrownBy(() -> engine.headersFor(create))
                    .hasMessage("MLFLOW_TRACKING_AWS_SIGV4=true signs each request over its method, URI and body: call "
                            + "headersFor(method, uri, body) or send the requests through the proxy");
            assertThat(engine.headersFor("POST", URI.create("http://elsewhere.example/api"), body))
                    .as("a host off the allowlist gets no signature").isEmpty();

            Map<String, String> signed = engine.headersFor("POST", create, body);
            HttpRequest.Builder b = HttpRequest.newBuilder(create).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            signed.forEach(b::header);
            HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

            HttpRequest.Builder tampered = HttpRequest.newBuilder(create)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"other\"}"));
            signed.forEach(tampered::header);
            assertThat(HttpClient.newHttpClient().send(tampered.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("the signature covers the body").isEqualTo(403);
        }
        assertThat(mlflow.experimentByName("signed-by-hand")).isPresent();
        assertThat(mlflow.experimentByName("other")).isEmpty();
    }

    @Test
    void withSigningOff_theGatewayRejectsTheRequests() {
        Map<String, String> s = new HashMap<>(Map.of("MLFLOW_SECRETS_AUTH_ENABLE", "env", "MLFLOW_TRACKING_TOKEN", "not-sigv4",
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1"));
        try (SecretsAuth engine = SecretsAuth.builder().settings(Settings.builder().setAll(s).build()).build();
             MlflowClient client = MlflowSecretsAuth.mlflowClient(engine, mlflow.uri().toString())) {
            assertThatThrownBy(() -> client.createExperiment("unsigned")).hasMessageContaining("403");
        }
        assertThat(mlflow.experimentByName("unsigned")).isEmpty();
    }
}
