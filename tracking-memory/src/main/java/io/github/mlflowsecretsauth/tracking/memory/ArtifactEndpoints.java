package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The artifact endpoints: {@code PUT} and {@code GET /api/2.0/mlflow-artifacts/artifacts/<path>}
 * (upload and download, both streamed), {@code GET /api/2.0/mlflow-artifacts/artifacts?path=}
 * (list: base names), and the tracking API's {@code GET artifacts/list?run_id=&path=} (list
 * under a run's {@code mlflow-artifacts:/} root: paths relative to the run root, and
 * {@code root_uri}).
 *
 * <p>Thread-safe: stateless apart from the thread-safe {@link ArtifactStore} and {@link TrackingStore}.
 */
final class ArtifactEndpoints {

    private static final String SCHEME = "mlflow-artifacts:";

    private final ArtifactStore artifacts;
    private final TrackingStore store;
    private final java.util.concurrent.ConcurrentLinkedQueue<Long> truncations = new java.util.concurrent.ConcurrentLinkedQueue<>();

    ArtifactEndpoints(ArtifactStore artifacts, TrackingStore store) {
        this.artifacts = artifacts;
        this.store = store;
    }

    /** The next download sends its full Content-Length but only {@code bytes} bytes, then drops the connection. */
    void truncateNextDownload(long bytes) {
        truncations.add(bytes);
    }

    /** Streams the request body into the store (blocking this thread), then answers {@code {}}. */
    void upload(String path, Request request, Response response, Callback callback) throws IOException {
        try (InputStream body = Content.Source.asInputStream(request)) {
            artifacts.upload(path, body);
        }
        JsonHttp.send(response, callback, 200, MlflowJson.object());
    }

    /** Streams a stored file back as an attachment, as MLflow's {@code send_file} does. */
    void download(String path, Request request, Response response, Callback callback) throws IOException {
        Path file = artifacts.resolve(path);
        if (!Files.isRegularFile(file)) {
            throw ApiError.notFound("No such artifact: '" + path + "'");
        }
        String name = file.getFileName().toString();
        String type = URLConnection.guessContentTypeFromName(name);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type == null ? "application/octet-stream" : type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(file));
        response.getHeaders().put("Content-Disposition", "attachment; filename=" + name);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        Long truncate = truncations.poll();
        if (truncate != null) {
            byte[] head = new byte[(int) Math.min(truncate, Files.size(file))];
            try (InputStream in = Files.newInputStream(file)) {
                in.readNBytes(head, 0, head.length);
            }
            response.write(false, java.nio.ByteBuffer.wrap(head), Callback.from(
                    () -> callback.failed(new IOException("testkit: download truncated on purpose")), callback::failed));
            return;
        }
        ByteBufferPool.Sized buffers = new ByteBufferPool.Sized(request.getComponents().getByteBufferPool(), false,
                64 * 1024);
        Content.copy(Content.Source.from(buffers, file), response, callback);
    }

    /** {@code {"files": [{"path": <base name>, "is_dir": ..., "file_size": ...}]}}, files left out when none. */
    ObjectNode list(JsonNode message) throws IOException {
        List<ObjectNode> files = artifacts.list(JsonFields.string(message, "path")).stream()
                .map(MlflowJson::fileInfo).toList();
        return MlflowJson.putArray(MlflowJson.object(), "files", files);
    }

    /** The tracking API's {@code artifacts/list} for a run. */
    ObjectNode listForRun(JsonNode message) throws IOException {
        RunSnapshot run = store.run(JsonFields.runId(message));
        String relative = JsonFields.string(message, "path");
        artifacts.resolve(relative);
        String prefix = relative == null || relative.isEmpty() ? "" : stripSlashes(relative) + "/";
        String root = run.artifactUri();
        if (!root.startsWith(SCHEME)) {
            throw ApiError.invalidParameter("The in-memory tracking store serves artifacts only for mlflow-artifacts:/ roots, not "
                    + root);
        }
        String rootPath = root.substring(SCHEME.length());
        if (rootPath.startsWith("//")) {
            int slash = rootPath.indexOf('/', 2);
            rootPath = slash < 0 ? "" : rootPath.substring(slash);
        }
        String directory = stripSlashes(rootPath);
        directory = directory.isEmpty() ? prefix : directory + "/" + prefix;
        List<ObjectNode> files = artifacts.list(directory).stream()
                .map(entry -> MlflowJson.fileInfo(new ArtifactStore.Entry(prefix + entry.path(), entry.directory(),
                        entry.size())))
                .toList();
        ObjectNode response = MlflowJson.object().put("root_uri", root);
        return MlflowJson.putArray(response, "files", files);
    }

    private static String stripSlashes(String path) {
        int start = 0;
        int end = path.length();
        while (start < end && path.charAt(start) == '/') {
            start++;
        }
        while (end > start && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(start, end);
    }
}
