package io.github.mlflowsecretsauth.mlflow.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mlflowsecretsauth.artifact.TransferListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * MLflow's proxied multipart upload of one file ({@code mpu/create}, parts, {@code mpu/complete}; {@code mpu/abort}
 * on failure), as {@code HttpArtifactRepository._try_multipart_upload} does it.
 *
 * <p>Where the credential goes: create, complete and abort are MLflow API calls and go through the authenticating
 * proxy like every other call. The parts go to the presigned URLs the server returned, which point at the storage
 * host (S3, GCS, ...) and carry their own authorisation (a signature in the URL and the headers given with it): they
 * are sent directly, with exactly the headers the server gave and nothing of the MLflow credential, so the host
 * allowlist has nothing to guard there. Redirects are not followed, and part URLs are never written to a message or
 * log, because their query strings are bearer secrets for that part.
 *
 * <p>Memory: each part streams from a region of one shared {@link FileChannel}; at most {@code parallelism} parts are
 * in flight, each holding the HTTP client's small buffers, whatever the chunk size.
 */
final class MultipartUpload {
    /** MLflow's {@code _UnsupportedMultipartUploadException.MESSAGE}, which the server sends with 501. */
    static final String UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpClient tracking;
    private final HttpClient storage;
    private final ApiServer server;
    private final URI api;
    private final ArtifactSettings settings;

    /**
     * @param tracking the client for MLflow API calls (through the proxy)
     * @param storage  the client for part URLs (direct, no credential)
     * @param server   the server of MLflow API calls, whose {@code Authorization} (the proxy token) never goes to a part URL
     * @param api      {@code <server>/api/2.0/mlflow-artifacts}
     */
    MultipartUpload(HttpClient tracking, HttpClient storage, ApiServer server, URI api, ArtifactSettings settings) {
        this.tracking = tracking;
        this.storage = storage;
        this.server = server;
        this.api = api;
        this.settings = settings;
    }

    /**
     * Uploads {@code file} to {@code fullPath} (relative to the artifacts destination) in parts.
     *
     * @return false, having sent no part, when the server does not offer multipart upload (501, or 404/405 from a
     *         server without the endpoints)
     */
    boolean upload(Path file, long size, String fullPath, String artifactPath, TransferListener listener) throws IOException {
        int slash = fullPath.lastIndexOf('/');
        String directory = slash < 0 ? "" : fullPath.substring(0, slash);
        String name = fullPath.substring(slash + 1);
        long chunk = settings.chunkSize();
        int parts = (int) Math.max(1, (size + chunk - 1) / chunk);
        ObjectNode createBody = ArtifactHttp.JSON.createObjectNode().put("path", name).put("num_parts", parts);
        HttpResponse<InputStream> created = post("create", directory, createBody);
        String text;
        try (InputStream body = created.body()) {
            text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
        }
        String what = "uploading '" + artifactPath + "' in parts";
        if (created.statusCode() != 200) {
            // 501 is MLflow's answer for a store without multipart; 404/405 that of a server older than 2.10.
            int status = created.statusCode();
            if (status == 501 || status == 404 || status == 405 || ArtifactHttp.message(text).startsWith(UNSUPPORTED)) {
                return false;
            }
            throw ArtifactHttp.failure(created.statusCode(), text, what + " (mpu/create)");
        }
        JsonNode create = ArtifactHttp.JSON.readTree(text);
        String uploadId = create.path("upload_id").asText("");
        try {
            List<JsonNode> credentials = credentials(create, parts);
            Map<Integer, String> etags = sendParts(file, size, chunk, credentials, artifactPath, listener);
            ObjectNode complete = ArtifactHttp.JSON.createObjectNode().put("path", name).put("upload_id", uploadId);
            ArrayNode list = complete.putArray("parts");
            for (JsonNode credential : credentials) {
                int number = credential.path("part_number").asInt();
                list.addObject().put("part_number", number).put("etag", etags.get(number))
                        .put("url", credential.path("url").asText());
            }
            ArtifactHttp.json(post("complete", directory, complete), what + " (mpu/complete)");
            return true;
        } catch (IOException | RuntimeException e) {
            abort(directory, name, uploadId, e);
            throw e;
        }
    }

    private static List<JsonNode> credentials(JsonNode create, int parts) throws IOException {
        List<JsonNode> credentials = new ArrayList<>();
        create.path("credentials").forEach(credentials::add);
        credentials.sort((a, b) -> Integer.compare(a.path("part_number").asInt(), b.path("part_number").asInt()));
        if (credentials.size() != parts) {
            throw new IOException("the server returned " + credentials.size() + " part URLs for " + parts + " parts");
        }
        for (int i = 0; i < parts; i++) {
            JsonNode credential = credentials.get(i);
            String scheme = URI.create(credential.path("url").asText()).getScheme();
            if (credential.path("part_number").asInt() != i + 1 || scheme == null
                    || !Set.of("http", "https").contains(scheme.toLowerCase(Locale.ROOT))) {
                throw new IOException("the server returned a malformed part credential for part " + (i + 1));
            }
        }
        return credentials;
    }

    private Map<Integer, String> sendParts(Path file, long size, long chunk, List<JsonNode> credentials, String artifactPath,
                                           TransferListener listener) throws IOException {
        int threads = Math.min(settings.parallelism(), credentials.size());
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "mlflow-artifact-part-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Map<Integer, String> etags = new TreeMap<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            CompletionService<String[]> done = new ExecutorCompletionService<>(pool);
            List<Future<String[]>> futures = new ArrayList<>();
            for (JsonNode credential : credentials) {
                int number = credential.path("part_number").asInt();
                long offset = (number - 1) * chunk;
                long length = Math.min(chunk, size - offset);
                futures.add(done.submit(() -> new String[] {Integer.toString(number),
                        sendPart(channel, offset, length, credential, artifactPath, listener)}));
            }
            for (int i = 0; i < futures.size(); i++) {
                String[] result = done.take().get();
                etags.put(Integer.parseInt(result[0]), result[1]);
            }
            return etags;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading '" + artifactPath + "'");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("uploading a part of '" + artifactPath + "' failed: " + cause, cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private String sendPart(FileChannel channel, long offset, long length, JsonNode credential, String artifactPath,
                            TransferListener listener) throws IOException {
        URI url = URI.create(credential.path("url").asText());
        int number = credential.path("part_number").asInt();
        HttpRequest.BodyPublisher body = length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new CountingInputStream(new RegionInputStream(channel, offset, length), listener, artifactPath)), length);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).PUT(body);
        credential.path("headers").fields().forEachRemaining(h -> {
            if (!RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                request.header(h.getKey(), h.getValue().asText());
            }
        });
        HttpResponse<InputStream> response = ArtifactHttp.send(storage, request.build());
        String what = "uploading part " + number + " of '" + artifactPath + "' to " + url.getHost();
        if (response.statusCode() / 100 != 2) {
            throw ArtifactHttp.failure(response, what);
        }
        response.body().close();
        return response.headers().firstValue("ETag").orElse("");
    }

    private HttpResponse<InputStream> post(String action, String directory, JsonNode body) throws IOException {
        URI uri = Urls.withPath(api, "/mpu/" + action + (directory.isEmpty() ? "" : "/" + directory));
        HttpRequest request = server.request(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        return ArtifactHttp.send(tracking, request);
    }

    private void abort(String directory, String name, String uploadId, Exception failure) {
        try {
            ObjectNode body = ArtifactHttp.JSON.createObjectNode().put("path", name).put("upload_id", uploadId);
            HttpResponse<InputStream> aborted = post("abort", directory, body);
            aborted.body().close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
