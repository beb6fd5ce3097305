package io.github.mlflowsecretsauth.artifact;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * One artifact root ({@code mlflow-artifacts:/...}, {@code s3://bucket/prefix}, {@code file:/...}): the
 * per-file operations that MLflow's {@code ArtifactRepository} offers. Directory recursion lives in the
 * caller. Implementations are thread-safe.
 *
 * <p>Paths are relative to {@link #root()}, '/'-separated, with no leading slash; {@code ""} is the root
 * itself. An implementation rejects {@code ..} segments. Errors are {@link IOException}s whose message
 * names the artifact path and the store, never a credential.
 */
public interface ArtifactRepository extends AutoCloseable {

    /** The artifact root this repository serves. */
    URI root();

    /**
     * Uploads one local file to {@code artifactPath} (the full relative path including the file name).
     * Large files may be split into parts (multipart upload) with a bounded memory budget.
     */
    void upload(Path localFile, String artifactPath, TransferListener listener) throws IOException;

    /** The direct children of {@code path} (a directory), or an empty list if there are none. */
    List<ArtifactInfo> list(String path) throws IOException;

    /**
     * Downloads one file to {@code targetFile}. The bytes are written to a temporary file in the same
     * directory and moved into place only when complete and, where the store provides a checksum,
     * verified; an interrupted or failed transfer leaves nothing under the final name.
     */
    void download(String artifactPath, Path targetFile, TransferListener listener) throws IOException;

    @Override
    default void close() {
    }
}
