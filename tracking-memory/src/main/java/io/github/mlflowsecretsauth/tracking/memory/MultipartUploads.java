package io.github.mlflowsecretsauth.tracking.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * MLflow's proxied multipart upload ({@code POST /api/2.0/mlflow-artifacts/mpu/create|complete|abort/<path>})
 * over a presigned-style part store, as an S3-backed {@code mlflow server --artifacts-destination} offers it:
 * create answers {@code {"upload_id": ..., "credentials": [{"url", "part_number", "headers"}]}} whose part URLs
 * point at this server's storage endpoint ({@value #PART_PREFIX}{@code <upload_id>/<part_number>}), not at the
 * tracking API. A part request must carry the upload's own token header (its "signature") and must not carry an
 * {@code Authorization} header: a client that leaks the MLflow credential to the storage host is refused with 403
 * and counted. Complete checks the ETags and assembles the parts in order; abort deletes them.
 *
 * <p>With {@link #enabled(boolean) enabled(false)} the endpoints answer as MLflow does for an artifact store
 * without multipart support: 501 {@code NOT_IMPLEMENTED} with {@value #UNSUPPORTED}.
 *
 * <p>Thread-safe: uploads live in a concurrent map; counters are atomic.
 */
final class MultipartUploads implements AutoCloseable {

    /** MLflow's {@code _UnsupportedMultipartUploadException.MESSAGE}: clients match its start. */
    static final String UNSUPPORTED = "Multipart upload is not supported for the current artifact repository";
    /** Where part URLs point: the storage endpoint, outside {@code /api/}. */
    static final String PART_PREFIX = "/testkit-storage/mpu/";
    /** The header each part credential carries, standing in for a presigned URL's signature. */
    static final String TOKEN_HEADER = "X-Testkit-Upload-Token";

    private record Upload(String target, int parts, String token, Path directory, Map<Integer, String> etags) {}

    private final ArtifactStore artifacts;
    private final Path area;
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean enabled = new AtomicBoolean(true);
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger partsStored = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final AtomicInteger refusedCredentials = new AtomicInteger();
    private final AtomicInteger failParts = new AtomicInteger();
    private final AtomicInteger partsInFlight = new AtomicInteger();
    private final AtomicInteger maxPartsInFlight = new AtomicInteger();
    private volatile URI storageBase;

    MultipartUploads(ArtifactStore artifacts) throws IOException {
        this.artifacts = artifacts;
        this.area = Files.createTempDirectory("mlflow-memory-parts");
    }

    /** Deletes the parts of uploads never completed or aborted. */
    @Override
    public void close() {
        if (Files.exists(area)) {
            deleteTree(area);
        }
    }

    /** The base of part URLs (this server's own address, not a proxy in front of it). */
    void storageBase(URI base) {
        this.storageBase = base;
    }

    void enabled(boolean on) {
        enabled.set(on);
    }

    /** The next {@code count} part requests fail with 500 after their body is read, as a flaky store would. */
    void failNextParts(int count) {
        failParts.addAndGet(count);
    }

    /** The most part uploads that were being received at the same time. */
    int maxPartsInFlight() {
        return maxPartsInFlight.get();
    }

    MultipartStats stats() {
        return new MultipartStats(enabled.get(), created.get(), partsStored.get(), completed.get(), aborted.get(),
                refusedCredentials.get(), uploads.size());
    }

    /** Dispatches {@code action} ({@code create}, {@code complete}, {@code abort}) for directory {@code path}. */
    ObjectNode handle(String action, String path, JsonNode message) throws IOException {
        if (!enabled.get()) {
            throw new ApiError(501, "NOT_IMPLEMENTED", UNSUPPORTED);
        }
        String directory = path == null ? "" : path;
        if (!directory.isEmpty()) {
            artifacts.resolve(directory);
        }
        String fileName = baseName(JsonFields.requireString(message, "path"));
        String target = directory.isEmpty() ? fileName : stripTrailing(directory) + "/" + fileName;
        artifacts.resolve(target);
        return switch (action) {
            case "create" -> create(target, message);
            case "complete" -> complete(target, message);
            case "abort" -> abort(target, message);
            default -> throw ApiError.endpointNotFound("POST", "mlflow-artifacts/mpu/" + action);
        };
    }

    private ObjectNode create(String target, JsonNode message) throws IOException {
        Long requested = JsonFields.int64(message, "num_parts");
        int parts = requested == null ? 1 : (int) (long) requested;
        if (parts < 1 || parts > 10_000) {
            throw ApiError.invalidParameter("num_parts must be between 1 and 10000, got " + requested);
        }
        String id = HexFormat.of().formatHex(random.generateSeed(12));
        String token = HexFormat.of().formatHex(random.generateSeed(16));
        Path directory = Files.createDirectories(area.resolve(id));
        uploads.put(id, new Upload(target, parts, token, directory, new ConcurrentHashMap<>()));
        created.incrementAndGet();
        URI base = Objects.requireNonNull(storageBase, "storage base not set");
        ArrayNode credentials = io.github.mlflowsecretsauth.tracking.memory.internal.JsonHttp.MAPPER.createArrayNode();
        for (int part = 1; part <= parts; part++) {
            ObjectNode credential = MlflowJson.object()
                    .put("url", base + PART_PREFIX + id + "/" + part)
                    .put("part_number", part);
            credential.putObject("headers").put(TOKEN_HEADER, token);
            credentials.add(credential);
        }
        ObjectNode response = MlflowJson.object().put("upload_id", id);
        response.set("credentials", credentials);
        return response;
    }

    private ObjectNode complete(String target, JsonNode message) throws IOException {
        Upload upload = upload(target, message);
        List<JsonNode> parts = JsonFields.objects(message, "parts");
        if (parts.size() != upload.parts()) {
            throw ApiError.invalidParameter("expected " + upload.parts() + " parts, got " + parts.size());
        }
        List<InputStream> streams = new ArrayList<>();
        try {
            int expected = 1;
            for (JsonNode part : parts.stream().sorted(Comparator.comparingLong(p -> p.path("part_number").asLong())).toList()) {
                int number = part.path("part_number").asInt();
                String etag = part.path("etag").asText("");
                if (number != expected++) {
                    throw ApiError.invalidParameter("part numbers must run from 1 to " + upload.parts());
                }
                if (!etag.equals(upload.etags().get(number))) {
                    throw ApiError.invalidParameter("part " + number + ": ETag " + etag + " does not match the stored part");
                }
                streams.add(Files.newInputStream(upload.directory().resolve(Integer.toString(number))));
            }
            artifacts.upload(target, new SequenceInputStream(Collections.enumeration(streams)));
        } finally {
            for (InputStream stream : streams) {
                stream.close();
            }
        }
        uploads.remove(JsonFields.requireString(message, "upload_id"));
        deleteTree(upload.directory());
        completed.incrementAndGet();
        return MlflowJson.object();
    }

    private ObjectNode abort(String target, JsonNode message) {
        Upload upload = upload(target, message);
        uploads.remove(JsonFields.requireString(message, "upload_id"));
        deleteTree(upload.directory());
        aborted.incrementAndGet();
        return MlflowJson.object();
    }

    private Upload upload(String target, JsonNode message) {
        Upload upload = uploads.get(JsonFields.requireString(message, "upload_id"));
        if (upload == null || !upload.target().equals(target)) {
            throw ApiError.notFound("No such multipart upload for '" + target + "'");
        }
        return upload;
    }

    /**
     * Stores one part sent to a part URL ({@code suffix} is {@code <upload_id>/<part_number>}); returns its ETag.
     *
     * @throws ApiError 403 if an {@code Authorization} header came along or the token is wrong, 404 if unknown
     */
    String storePart(String suffix, String authorization, String token, InputStream body) throws IOException {
        if (authorization != null) {
            refusedCredentials.incrementAndGet();
            throw new ApiError(403, "PERMISSION_DENIED", "the storage endpoint refuses an Authorization header: "
                    + "the MLflow credential must not be sent to a part URL");
        }
        String[] pieces = suffix.split("/");
        Upload upload = pieces.length == 2 ? uploads.get(pieces[0]) : null;
        int number = upload == null ? -1 : parsePart(pieces[1]);
        if (upload == null || number < 1 || number > upload.parts()) {
            throw ApiError.notFound("No such upload part: " + suffix);
        }
        if (token == null || !MessageDigest.isEqual(token.getBytes(), upload.token().getBytes())) {
            throw new ApiError(403, "PERMISSION_DENIED", "missing or wrong " + TOKEN_HEADER);
        }
        MessageDigest md5 = md5();
        Path file = upload.directory().resolve(Integer.toString(number));
        maxPartsInFlight.accumulateAndGet(partsInFlight.incrementAndGet(), Math::max);
        try (InputStream in = new DigestInputStream(body, md5); OutputStream out = Files.newOutputStream(file)) {
            in.transferTo(out);
        } finally {
            partsInFlight.decrementAndGet();
        }
        if (failParts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new ApiError(500, "INTERNAL_ERROR", "injected part failure");
        }
        String etag = "\"" + HexFormat.of().formatHex(md5.digest()) + "\"";
        upload.etags().put(number, etag);
        partsStored.incrementAndGet();
        return etag;
    }

    private static int parsePart(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String baseName(String path) {
        String name = path.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            throw ApiError.invalidParameter("Invalid path");
        }
        return name;
    }

    private static String stripTrailing(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static void deleteTree(Path top) {
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + top, e);
        }
    }
}
