package io.github.mlflowsecretsauth.artifact;

/**
 * Progress of one file's upload or download. Called from the transferring thread(s); implementations
 * must be thread-safe and fast (a parallel multipart transfer calls {@link #transferred} from several
 * threads).
 */
public interface TransferListener {
    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() {
    };

    /**
     * A file transfer starts.
     *
     * @param path       the artifact path, relative to the root
     * @param totalBytes the file's size, or -1 when unknown
     */
    default void started(String path, long totalBytes) {
    }

    /** {@code bytes} more bytes of {@code path} have moved (a delta, not a total). */
    default void transferred(String path, long bytes) {
    }

    /** The transfer of {@code path} completed and, where the store offers one, its checksum matched. */
    default void completed(String path) {
    }
}
