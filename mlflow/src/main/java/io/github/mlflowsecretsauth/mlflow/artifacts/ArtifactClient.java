package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.artifact.ArtifactInfo;
import io.github.mlflowsecretsauth.artifact.ArtifactRepository;
import io.github.mlflowsecretsauth.artifact.TransferListener;
import io.github.mlflowsecretsauth.error.SecretsAuthException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Native artifact logging for one run, without Python: the calls of MLflow's {@code log_artifact},
 * {@code log_artifacts}, {@code list_artifacts} and {@code download_artifacts}, on the store the run's
 * {@code artifact_uri} names (see {@link ArtifactStores}). Get one from
 * {@link io.github.mlflowsecretsauth.MlflowSecretsAuth#artifacts}.
 *
 * <p>{@code artifactPath} arguments name a directory under the run's root, as in MLflow ({@code null} or {@code ""}
 * for the root); they must be relative and free of {@code ..}. Failures are {@link ArtifactException}s (or
 * {@link io.github.mlflowsecretsauth.error.MlflowAuthenticationException} when the server refuses the credential)
 * whose message names the path and the store, never a credential. A failed download leaves nothing under the final
 * name. Thread-safe; close it to release what it owns (the embedded proxy, if it started one).
 */
public final class ArtifactClient implements AutoCloseable {
    private final String runId;
    private final ArtifactRepository repository;
    private final TransferListener listener;
    private final AutoCloseable owned;

    /** A client on {@code repository}, e.g. a store opened by hand; closing the client closes the repository. */
    public ArtifactClient(String runId, ArtifactRepository repository) {
        this(runId, repository, TransferListener.NONE, repository);
    }

    private ArtifactClient(String runId, ArtifactRepository repository, TransferListener listener, AutoCloseable owned) {
        this.runId = runId;
        this.repository = Objects.requireNonNull(repository);
        this.listener = Objects.requireNonNull(listener);
        this.owned = owned;
    }

    /**
     * Looks the run up through {@code stores.server()} and opens the store of its artifact root
     * ({@value ArtifactSettings#ARTIFACT_ROOT} applied). {@code onClose} is closed with the client (may be null).
     */
    public static ArtifactClient forRun(String runId, ArtifactStores stores, AutoCloseable onClose) {
        RunLookup.RunRef run = RunLookup.get(ArtifactHttp.client(), stores.apiServer(), runId);
        URI root = RunArtifactRoot.resolve(run.artifactUri(), run.experimentId(), runId, stores.artifactSettings().artifactRoot());
        ArtifactRepository repository = stores.open(root);
        return new ArtifactClient(runId, repository, TransferListener.NONE, () -> {
            try {
                repository.close();
            } finally {
                if (onClose != null) {
                    onClose.close();
                }
            }
        });
    }

    /**
     * A view of this client that reports progress to {@code listener}; it shares this client's store, and closing
     * the view does nothing (close the original).
     */
    public ArtifactClient withListener(TransferListener listener) {
        return new ArtifactClient(runId, repository, listener, null);
    }

    /** The run, or null for a client made on a bare repository. */
    public String runId() {
        return runId;
    }

    /** The artifact root in use. */
    public URI artifactUri() {
        return repository.root();
    }

    /** Uploads {@code file} to the root of the run's artifacts. */
    public void logArtifact(Path file) {
        logArtifact(file, null);
    }

    /** Uploads {@code file} into directory {@code artifactPath}, keeping its name. */
    public void logArtifact(Path file, String artifactPath) {
        if (!Files.isRegularFile(file)) {
            throw new ArtifactException("no such file: " + file);
        }
        String target = ArtifactPaths.join(ArtifactPaths.check(artifactPath), file.getFileName().toString());
        try {
            repository.upload(file, target, listener);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    /** Uploads every file under {@code directory} to the root, keeping the tree. */
    public void logArtifacts(Path directory) {
        logArtifacts(directory, null);
    }

    /** Uploads every file under {@code directory} into {@code artifactPath}, keeping the tree. */
    public void logArtifacts(Path directory, String artifactPath) {
        if (!Files.isDirectory(directory)) {
            throw new ArtifactException("no such directory: " + directory);
        }
        String base = ArtifactPaths.check(artifactPath);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ArtifactException("cannot read directory " + directory + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            List<String> parts = new ArrayList<>();
            directory.relativize(file).forEach(p -> parts.add(p.toString()));
            String target = ArtifactPaths.join(base, ArtifactPaths.check(String.join("/", parts)));
            try {
                repository.upload(file, target, listener);
            } catch (IOException e) {
                throw wrap(e);
            }
        }
    }

    /** The direct children of the root. */
    public List<ArtifactInfo> listArtifacts() {
        return listArtifacts(null);
    }

    /** The direct children of directory {@code path}; empty for a file or a missing path, as in MLflow. */
    public List<ArtifactInfo> listArtifacts(String path) {
        try {
            return repository.list(ArtifactPaths.check(path));
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    /**
     * Downloads the file or directory (recursively) at {@code path} ({@code null} or {@code ""} for everything) into
     * {@code targetDir}, at {@code targetDir/path} as MLflow does, and returns that local path.
     */
    public Path downloadArtifacts(String path, Path targetDir) {
        String checked = ArtifactPaths.check(path);
        Path local = ArtifactPaths.local(targetDir, checked);
        try {
            List<ArtifactInfo> children = repository.list(checked);
            if (children.isEmpty() && !checked.isEmpty() && !isDirectoryInParent(checked)) {
                repository.download(checked, local, listener);
                return local;
            }
            Files.createDirectories(local);
            downloadTree(children, targetDir);
            return local;
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    private boolean isDirectoryInParent(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? "" : path.substring(0, slash);
        return repository.list(parent).stream().anyMatch(info -> info.isDir() && info.path().equals(path));
    }

    private void downloadTree(List<ArtifactInfo> entries, Path targetDir) throws IOException {
        for (ArtifactInfo entry : entries) {
            Path local = ArtifactPaths.local(targetDir, entry.path());
            if (entry.isDir()) {
                Files.createDirectories(local);
                downloadTree(repository.list(entry.path()), targetDir);
            } else {
                repository.download(entry.path(), local, listener);
            }
        }
    }

    private static SecretsAuthException wrap(IOException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs && message.equals(fs.getFile())) {
            // The JDK's file errors carry only the path: say what went wrong with it.
            message = (e instanceof java.nio.file.NoSuchFileException ? "no such file: "
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied: " : "cannot access: ") + message;
        }
        return new ArtifactException(message, e);
    }

    @Override
    public void close() {
        if (owned == null) {
            return;
        }
        try {
            owned.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ArtifactException("closing the artifact client failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ArtifactClient{run=" + runId + ", root=" + repository.root() + "}";
    }
}
