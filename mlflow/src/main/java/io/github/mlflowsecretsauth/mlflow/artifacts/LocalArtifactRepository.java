package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.artifact.TransferListener;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A {@code file:} artifact root (or a plain path), as MLflow's {@code LocalArtifactRepository}. Both directions copy
 * through a temporary file and an atomic move, and compare the byte count with the source's size (the check a
 * local store offers). Paths with {@code ..} are refused before anything is touched. Thread-safe.
 */
public final class LocalArtifactRepository implements ArtifactRepository {
    private final URI root;
    private final Path directory;

    public LocalArtifactRepository(URI root, Path directory) {
        this.root = root;
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The repository for a {@code file:} URI or a plain path. */
    public static LocalArtifactRepository of(URI root) {
        return new LocalArtifactRepository(root, root.getScheme() == null ? Path.of(root.getPath()) : Path.of(root));
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
        copy(localFile, ArtifactPaths.local(directory, path), listener, path, "uploading '" + path + "' to " + root);
    }

    @Override
    public List<ArtifactInfo> list(String path) throws IOException {
        String relative = ArtifactPaths.check(path);
        Path dir = ArtifactPaths.local(directory, relative);
        List<ArtifactInfo> infos = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return infos;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                String name = ArtifactPaths.join(relative, child.getFileName().toString());
                infos.add(Files.isDirectory(child) ? ArtifactInfo.directory(name) : ArtifactInfo.file(name, Files.size(child)));
            }
        }
        return infos;
    }

    @Override
    public void download(String artifactPath, Path targetFile, TransferListener listener) throws IOException {
        String path = ArtifactPaths.check(artifactPath);
        Path source = ArtifactPaths.local(directory, path);
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException("no artifact '" + path + "' in " + root);
        }
        copy(source, targetFile, listener, path, "downloading '" + path + "' from " + root);
    }

    private static void copy(Path source, Path target, TransferListener listener, String path, String what) throws IOException {
        long size = Files.size(source);
        listener.started(path, size);
        try (InputStream in = Files.newInputStream(source)) {
            TempFiles.writeAtomically(target, in, OptionalLong.of(size), listener, path, what);
        }
        listener.completed(path);
    }

    @Override
    public String toString() {
        return "LocalArtifactRepository{" + root + "}";
    }
}
