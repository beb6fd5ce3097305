package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Jetty handler behind {@link MlflowServer}: records each request, gives injected canned
 * responses, and routes {@code /api/2.0/mlflow/*} and {@code /api/2.0/mlflow-artifacts/*} (also
 * under {@code /ajax-api/}) to the endpoints. A GET's message is its query parameters (a repeated
 * parameter becomes a JSON array); other methods send a JSON body.
 *
 * <p>Thread-safe: Jetty calls it concurrently; it keeps no per-request state in fields.
 */
final class MlflowHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(MlflowHandler.class);
    private static final int MAX_JSON_BODY = 16 * 1024 * 1024;
    private static final List<String> PREFIXES = List.of("/api/2.0/", "/ajax-api/2.0/");
    private static final String ARTIFACTS = "mlflow-artifacts/artifacts";
    private static final String MULTIPART = "mlflow-artifacts/mpu/";

    private interface Endpoint {
        ObjectNode handle(JsonNode message) throws IOException;
    }

    private record Route(Set<String> methods, Endpoint endpoint) {}

    private final Map<String, Route> routes = new LinkedHashMap<>();
    private final CallLog calls;
    private final FaultPlan faults;
    private final ArtifactEndpoints artifacts;
    private final RequestGate gate;
    private final MultipartUploads multipart;

    MlflowHandler(TrackingStore store, ArtifactStore artifactStore, MultipartUploads multipart, CallLog calls,
                  FaultPlan faults, RequestGate gate) {
        this.gate = gate;
        this.multipart = multipart;
        this.calls = calls;
        this.faults = faults;
        this.artifacts = new ArtifactEndpoints(artifactStore, store);
        ExperimentEndpoints experiments = new ExperimentEndpoints(store);
        RunEndpoints runs = new RunEndpoints(store);
        LogEndpoints logs = new LogEndpoints(store);
        Set<String> get = Set.of("GET");
        Set<String> post = Set.of("POST");
        Set<String> both = Set.of("GET", "POST");
        routes.put("mlflow/experiments/create", new Route(post, experiments::create));
        routes.put("mlflow/experiments/get", new Route(get, experiments::get));
        routes.put("mlflow/experiments/get-by-name", new Route(get, experiments::getByName));
        routes.put("mlflow/experiments/search", new Route(both, experiments::search));
        routes.put("mlflow/runs/create", new Route(post, runs::create));
        routes.put("mlflow/runs/update", new Route(post, runs::update));
        routes.put("mlflow/runs/get", new Route(get, runs::get));
        routes.put("mlflow/runs/search", new Route(both, runs::search));
        routes.put("mlflow/runs/log-metric", new Route(post, logs::logMetric));
        routes.put("mlflow/runs/log-parameter", new Route(post, logs::logParam));
        routes.put("mlflow/runs/log-batch", new Route(post, logs::logBatch));
        routes.put("mlflow/runs/set-tag", new Route(post, logs::setTag));
        routes.put("mlflow/runs/delete-tag", new Route(post, logs::deleteTag));
        routes.put("mlflow/metrics/get-history", new Route(get, logs::history));
        routes.put("mlflow/artifacts/list", new Route(get, artifacts::listForRun));
        routes.put(ARTIFACTS, new Route(get, artifacts::list));
    }

    ArtifactEndpoints artifacts() {
        return artifacts;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        String path = request.getHttpURI().getDecodedPath();
        if (path.startsWith(MultipartUploads.PART_PREFIX)) {
            return storePart(method, path, request, response, callback);
        }
        String endpoint = PREFIXES.stream().filter(path::startsWith).findFirst()
                .map(prefix -> path.substring(prefix.length())).orElse(null);
        boolean artifactFile = endpoint != null && endpoint.startsWith(ARTIFACTS + "/");
        JsonNode body = null;
        String malformed = null;
        byte[] raw = null;
        if (!artifactFile) {
            try (InputStream in = Content.Source.asInputStream(request)) {
                byte[] bytes = in.readNBytes(MAX_JSON_BODY + 1);
                raw = bytes;
                if (bytes.length > MAX_JSON_BODY) {
                    throw new IllegalArgumentException("the body is larger than " + MAX_JSON_BODY + " bytes");
                }
                String text = new String(bytes, StandardCharsets.UTF_8);
                body = text.isBlank() ? null : JsonHttp.parseObject(text);
            } catch (IllegalArgumentException e) {
                malformed = "Malformed request: " + e.getMessage();
            }
        }
        calls.record(new RecordedCall(method, path, request.getHttpURI().getQuery(), body, headers(request)));
        if (gate != null) {
            Optional<RequestGate.Rejection> rejected = gate.check(request, artifactFile ? null : (raw == null ? new byte[0] : raw));
            if (rejected.isPresent()) {
                sendCanned(response, callback, new FaultPlan.Canned(rejected.get().status(), rejected.get().jsonBody(), Map.of()));
                return true;
            }
        }
        Optional<FaultPlan.Canned> canned = faults.take();
        if (canned.isPresent()) {
            sendCanned(response, callback, canned.get());
            return true;
        }
        try {
            if (endpoint == null) {
                throw ApiError.endpointNotFound(method, path);
            }
            if (artifactFile) {
                String artifactPath = endpoint.substring(ARTIFACTS.length() + 1);
                switch (method) {
                    case "PUT" -> artifacts.upload(artifactPath, request, response, callback);
                    case "GET" -> artifacts.download(artifactPath, request, response, callback);
                    default -> throw ApiError.methodNotAllowed(method, path);
                }
                return true;
            }
            if (endpoint.startsWith(MULTIPART)) {
                if (!method.equals("POST")) {
                    throw ApiError.methodNotAllowed(method, path);
                }
                if (malformed != null) {
                    throw ApiError.malformed(malformed);
                }
                String rest = endpoint.substring(MULTIPART.length());
                int slash = rest.indexOf('/');
                String action = slash < 0 ? rest : rest.substring(0, slash);
                String directory = slash < 0 ? "" : rest.substring(slash + 1);
                JsonHttp.send(response, callback, 200,
                        multipart.handle(action, directory, body == null ? MlflowJson.object() : body));
                return true;
            }
            Route route = routes.get(endpoint);
            if (route == null) {
                throw ApiError.endpointNotFound(method, path);
            }
            if (!route.methods().contains(method)) {
                throw ApiError.methodNotAllowed(method, path);
            }
            JsonNode message;
            if (method.equals("GET")) {
                message = queryMessage(Request.extractQueryParameters(request));
            } else if (malformed != null) {
                throw ApiError.malformed(malformed);
            } else {
                message = body == null ? MlflowJson.object() : body;
            }
            JsonHttp.send(response, callback, 200, route.endpoint().handle(message));
        } catch (ApiError e) {
            LOG.debug("{} {} -> {} {}", method, path, e.status(), e.errorCode());
            JsonHttp.send(response, callback, e.status(), MlflowJson.error(e.errorCode(), e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("In-memory MLflow tracking store failed on {} {}", method, path, e);
            JsonHttp.send(response, callback, 500, MlflowJson.error("INTERNAL_ERROR", String.valueOf(e)));
        }
        return true;
    }

    /**
     * The storage endpoint behind multipart part URLs: not the MLflow API, so no gate and no canned responses;
     * the part store itself refuses a request that carries an MLflow credential.
     */
    private boolean storePart(String method, String path, Request request, Response response, Callback callback) {
        calls.record(new RecordedCall(method, path, request.getHttpURI().getQuery(), null, headers(request)));
        try {
            if (!method.equals("PUT")) {
                throw ApiError.methodNotAllowed(method, path);
            }
            String etag;
            try (InputStream body = Content.Source.asInputStream(request)) {
                etag = multipart.storePart(path.substring(MultipartUploads.PART_PREFIX.length()),
                        request.getHeaders().get(HttpHeader.AUTHORIZATION),
                        request.getHeaders().get(MultipartUploads.TOKEN_HEADER), body);
            }
            response.getHeaders().put(HttpHeader.ETAG, etag);
            JsonHttp.sendEmpty(response, callback, 200);
        } catch (ApiError e) {
            JsonHttp.send(response, callback, e.status(), MlflowJson.error(e.errorCode(), e.getMessage()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("In-memory MLflow tracking store failed to store a part at {}", path, e);
            JsonHttp.send(response, callback, 500, MlflowJson.error("INTERNAL_ERROR", String.valueOf(e)));
        }
        return true;
    }

    private static JsonNode queryMessage(Fields fields) {
        ObjectNode message = MlflowJson.object();
        for (Fields.Field field : fields) {
            if (field.getValues().size() == 1) {
                message.put(field.getName(), field.getValue());
            } else {
                ArrayNode values = message.putArray(field.getName());
                field.getValues().forEach(values::add);
            }
        }
        return message;
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    private static void sendCanned(Response response, Callback callback, FaultPlan.Canned canned) {
        response.setStatus(canned.status());
        canned.headers().forEach(response.getHeaders()::put);
        byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && !response.getHeaders().contains(HttpHeader.CONTENT_TYPE)) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }
}
