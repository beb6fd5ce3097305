package io.github.mlflowsecretsauth.artifact;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One entry of an artifact listing, as MLflow's {@code FileInfo}.
 *
 * @param path     the path relative to the artifact root, '/'-separated, no leading slash
 * @param isDir    whether the entry is a directory
 * @param fileSize the size in bytes for a file, empty for a directory or when the store does not say
 */
public record ArtifactInfo(String path, boolean isDir, OptionalLong fileSize) {
    public ArtifactInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(fileSize, "fileSize");
    }

    /** A file entry. */
    public static ArtifactInfo file(String path, long size) {
        return new ArtifactInfo(path, false, OptionalLong.of(size));
    }

    /** A directory entry. */
    public static ArtifactInfo directory(String path) {
        return new ArtifactInfo(path, true, OptionalLong.empty());
    }
}
