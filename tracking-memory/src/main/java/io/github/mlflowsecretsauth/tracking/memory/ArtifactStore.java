package io.github.mlflowsecretsauth.tracking.memory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files behind the {@code mlflow-artifacts} endpoints, under one root directory, as
 * {@code mlflow server --artifacts-destination} keeps them: artifact path {@code a/b/c.txt} is
 * file {@code <root>/a/b/c.txt}. An upload streams into a temporary file (in
 * {@value #UPLOADS}, hidden from listings) and is moved into place when complete, so a reader
 * never sees half a file and no upload is held in memory.
 *
 * <p>Thread-safe: relies on the file system; concurrent uploads to one path end with one of them.
 */
final class ArtifactStore implements AutoCloseable {

    static final String UPLOADS = ".testkit-uploads";

    /** One listed file or directory; {@code size} is 0 for a directory. */
    record Entry(String path, boolean directory, long size) {}

    private final Path root;
    private final Path uploads;
    private final boolean deleteRoot;

    ArtifactStore(Path root, boolean deleteRoot) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
        this.uploads = Files.createDirectories(this.root.resolve(UPLOADS));
        this.deleteRoot = deleteRoot;
    }

    Path root() {
        return root;
    }

    /**
     * The file for an artifact path; rejects what MLflow's {@code validate_path_is_safe} rejects:
     * absolute paths, drive letters, {@code ..}, {@code .}, backslashes, and the upload area.
     */
    Path resolve(String relative) {
        String path = relative == null ? "" : relative;
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.isEmpty()) {
            return root;
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0") || path.matches("[A-Za-z]:.*")) {
            throw ApiError.invalidParameter("Invalid path");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw ApiError.invalidParameter("Invalid path");
            }
        }
        Path resolved = root.resolve(path).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root) || resolved.startsWith(uploads)) {
            throw ApiError.invalidParameter("Invalid path");
        }
        return resolved;
    }

    /** Streams {@code content} to the artifact at {@code relative}, replacing any file there. */
    void upload(String relative, InputStream content) throws IOException {
        Path target = resolve(relative);
        if (target.equals(root) || Files.isDirectory(target)) {
            throw ApiError.invalidParameter("Invalid path: '" + relative + "' is a directory");
        }
        Path temporary = Files.createTempFile(uploads, "upload-", ".part");
        try {
            Files.copy(content, temporary, StandardCopyOption.REPLACE_EXISTING);
            Files.createDirectories(target.getParent());
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The entries directly inside directory {@code relative}, by name; empty if it is not a directory. */
    List<Entry> list(String relative) throws IOException {
        Path directory = resolve(relative);
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return entries;
        }
        try (Stream<Path> children = Files.list(directory)) {
            for (Path child : children.sorted().toList()) {
                if (child.equals(uploads)) {
                    continue;
                }
                boolean isDirectory = Files.isDirectory(child);
                long size = isDirectory ? 0 : Files.size(child);
                entries.add(new Entry(child.getFileName().toString(), isDirectory, size));
            }
        }
        return entries;
    }

    /** Removes the upload area, and the whole root if the server created it. */
    @Override
    public void close() {
        deleteTree(deleteRoot ? root : uploads);
    }

    private static void deleteTree(Path top) {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + top, e);
        }
    }
}
