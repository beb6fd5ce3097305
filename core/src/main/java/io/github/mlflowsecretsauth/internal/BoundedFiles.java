package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a small file the tool is pointed at (a {@code .env}, a token file, a PEM) with a size cap, so a
 * wrong path (a log, a disk image, {@code /dev/zero}) is a one-line error naming the file and the cap,
 * never an {@link OutOfMemoryError}. The cap is checked while reading, not only by the file's size,
 * because a pipe or a device has none. Stateless.
 */
public final class BoundedFiles {
    private BoundedFiles() {
    }

    /**
     * The file's bytes, at most {@code maxBytes}.
     *
     * @param what names the file in messages, e.g. ".env file ./.env"
     * @throws ConfigurationException if the file is larger or cannot be read
     */
    public static byte[] read(Path file, int maxBytes, String what) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new ConfigurationException(what + " is larger than " + maxBytes / 1024
                        + " KiB, more than such a file ever holds: check the path");
            }
            return bytes;
        } catch (IOException e) {
            throw new ConfigurationException("cannot read " + what + " (" + e.getClass().getSimpleName()
                    + "): check its permissions, or remove it");
        }
    }
}
