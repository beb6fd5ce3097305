package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.internal.AtomicFiles;
import io.github.mlflowsecretsauth.artifact.TransferListener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Streams a download into place through {@link AtomicFiles}: whatever fails (the connection, the disk, a size
 * mismatch, an interrupt), nothing is left under the final name.
 */
final class TempFiles {
    private static final int BUFFER = 64 * 1024;

    private TempFiles() {
    }

    private static int read(InputStream in, byte[] buffer, long written, String what) throws IOException {
        try {
            return in.read(buffer);
        } catch (IOException e) {
            String reason = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
            throw new IOException(what + " failed after " + written + " bytes: " + reason, e);
        }
    }

    /**
     * Streams {@code in} to {@code target}, reporting progress; fails if {@code expected} is known and differs from
     * the bytes received.
     */
    static void writeAtomically(Path target, InputStream in, OptionalLong expected, TransferListener listener, String path,
                                String what) throws IOException {
        AtomicFiles.replace(target, temporary -> {
            long written = 0;
            try (OutputStream out = Files.newOutputStream(temporary)) {
                byte[] buffer = new byte[BUFFER];
                int n;
                // Checked before each read: the JDK client's response stream swallows an interrupt while it waits.
                while (!Thread.currentThread().isInterrupted() && (n = read(in, buffer, written, what)) >= 0) {
                    out.write(buffer, 0, n);
                    written += n;
                    listener.transferred(path, n);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new java.io.InterruptedIOException(what + " was interrupted after " + written + " bytes");
                }
            }
            if (expected.isPresent() && expected.getAsLong() != written) {
                throw new IOException(what + " failed: received " + written + " bytes of " + expected.getAsLong());
            }
        });
    }
}
