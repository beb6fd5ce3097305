package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.artifact.ArtifactRepository;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * How every {@link ArtifactRepository#download} keeps its promise: the bytes go to a hidden temporary file
 * ({@code .<name>.<random>.part}) in the target's directory, which is moved into place only when the writer
 * returns; whatever fails, nothing is left under the final name and the temporary file is deleted.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the complete file to {@code temporary}, or throws. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temporary) throws IOException;
    }

    /** Creates {@code target}'s directory, runs {@code writer} on a temporary file beside it, then moves it into place. */
    public static void replace(Path target, Writer writer) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".part");
        try {
            writer.writeTo(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
