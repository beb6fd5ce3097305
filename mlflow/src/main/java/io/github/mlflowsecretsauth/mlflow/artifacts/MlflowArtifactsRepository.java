package io.github.mlflowsecretsauth.mlflow.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.artifact.TransferListener;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * An {@code mlflow-artifacts:} root: the tracking server proxies the artifacts through
 * {@code /api/2.0/mlflow-artifacts/artifacts}. Every MLflow call goes to {@code server}, which is the embedded
 * authenticating proxy (so the credential, its refresh and replay on 401/403, the 429/503 retries, SigV4, TLS and the
 * allowlist all apply exactly as for the official client), or a server that needs no credential.
 *
 * <p>Uploads are one streaming PUT, or MLflow's multipart upload for files of at least
 * {@link ArtifactSettings#multipartMinimumSize()} where the server offers it ({@link MultipartUpload}). Downloads
 * stream into a temporary file next to the target and are moved into place only when the byte count matches the
 * server's {@code Content-Length}; MLflow sends no checksum for these files, so none can be verified. Thread-safe.
 */
public final class MlflowArtifactsRepository implements ArtifactRepository {
    private final URI root;
    private final URI api;
    private final ApiServer server;
    private final String rootPath;
    private final ArtifactSettings settings;
    private final HttpClient http;
    private final MultipartUpload multipart;

    /**
     * @param root     the artifact root as the run gives it (for messages)
     * @param server   where MLflow API calls go: the embedded proxy's base URI
     * @param rootPath the path below {@code /api/2.0/mlflow-artifacts/artifacts}, e.g. {@code 1/<run>/artifacts}
     */
    public MlflowArtifactsRepository(URI root, URI server, String rootPath, ArtifactSettings settings) {
        this(root, new ApiServer(server, null), rootPath, settings);
    }

    MlflowArtifactsRepository(URI root, ApiServer server, String rootPath, ArtifactSettings settings) {
        this.root = root;
        this.server = server;
        this.api = Urls.withPath(server.uri(), "/api/2.0/mlflow-artifacts");
        this.rootPath = ArtifactPaths.check(rootPath);
        this.settings = settings;
        this.http = ArtifactHttp.client();
        this.multipart = new MultipartUpload(http, ArtifactHttp.client(), server, api, settings);
    }

    @Override
    public URI root() {
        return root;
    }

    @Override
    public void upload(Path localFile, String artifactPath, TransferListener listener) throws IOException {
        String path = ArtifactPaths.check(artifactPath);
        if (path.isEmpty()) {
            throw new ArtifactException("an artifact file needs a name: the artifact path is empty");
        }
        long size = Files.size(localFile);
        listener.started(path, size);
        String full = ArtifactPaths.join(rootPath, path);
        if (!(settings.multipartEnabled() && size >= settings.multipartMinimumSize()
                && multipart.upload(localFile, size, full, path, listener))) {
            put(localFile, size, full, path, listener);
        }
        listener.completed(path);
    }

    private void put(Path localFile, long size, String full, String path, TransferListener listener) throws IOException {
        HttpRequest.BodyPublisher body = size == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new CountingInputStream(open(localFile), listener, path)), size);
        String type = URLConnection.guessContentTypeFromName(localFile.getFileName().toString());
        HttpRequest request = server.request(Urls.withPath(api, "/artifacts/" + full))
                .header("Content-Type", type == null ? "application/octet-stream" : type).PUT(body).build();
        ArtifactHttp.json(ArtifactHttp.send(http, request), "uploading '" + path + "' to " + root);
    }

    private static InputStream open(Path file) {
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public List<ArtifactInfo> list(String path) throws IOException {
        String relative = ArtifactPaths.check(path);
        String query = URLEncoder.encode(ArtifactPaths.join(rootPath, relative), StandardCharsets.UTF_8).replace("+", "%20");
        URI uri = URI.create(Urls.withPath(api, "/artifacts") + "?path=" + query);
        JsonNode answer = ArtifactHttp.json(ArtifactHttp.send(http, server.request(uri).GET().build()),
                "listing '" + relative + "' in " + root);
        List<ArtifactInfo> infos = new ArrayList<>();
        for (JsonNode file : answer.path("files")) {
            String name = ArtifactPaths.check(file.path("path").asText());
            String child = ArtifactPaths.join(relative, name);
            infos.add(file.path("is_dir").asBoolean() ? ArtifactInfo.directory(child)
                    : new ArtifactInfo(child, false, file.has("file_size") ? OptionalLong.of(file.path("file_size").asLong())
                    : OptionalLong.empty()));
        }
        // As MLflow: listing a file gives that file back; a listing of a file is empty.
        if (infos.size() == 1 && !infos.get(0).isDir() && !relative.isEmpty()
                && infos.get(0).path().equals(ArtifactPaths.join(relative, relative.substring(relative.lastIndexOf('/') + 1)))) {
            return List.of();
        }
        infos.sort(Comparator.comparing(ArtifactInfo::path));
        return infos;
    }

    @Override
    public void download(String artifactPath, Path targetFile, TransferListener listener) throws IOException {
        String path = ArtifactPaths.check(artifactPath);
        HttpRequest request = server.request(Urls.withPath(api, "/artifacts/" + ArtifactPaths.join(rootPath, path)))
                .GET().build();
        HttpResponse<InputStream> response = ArtifactHttp.send(http, request);
        String what = "downloading '" + path + "' from " + root;
        if (response.statusCode() != 200) {
            throw ArtifactHttp.failure(response, what);
        }
        OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        listener.started(path, length.orElse(-1));
        try (InputStream body = response.body()) {
            TempFiles.writeAtomically(targetFile, body, length, listener, path, what);
        }
        listener.completed(path);
    }

    @Override
    public String toString() {
        return "MlflowArtifactsRepository{" + root + "}";
    }
}
