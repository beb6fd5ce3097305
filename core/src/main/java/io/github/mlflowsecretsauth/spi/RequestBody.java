package io.github.mlflowsecretsauth.spi;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;

/**
 * The body of a request as it will be sent, for a {@link RequestSigner} whose signature covers it. It can be read
 * more than once (each {@link #open()} starts at the beginning), from memory or from a file.
 */
@FunctionalInterface
public interface RequestBody {
    RequestBody EMPTY = () -> InputStream.nullInputStream();

    /** A new stream over the whole body. */
    InputStream open() throws IOException;

    /** A body held in memory, in one or more pieces. */
    static RequestBody of(byte[]... pieces) {
        byte[][] copy = pieces.clone();
        return () -> new SequenceInputStream(Collections.enumeration(Arrays.stream(copy)
                .map(p -> (InputStream) new ByteArrayInputStream(p)).toList()));
    }

    /** A body in a file. */
    static RequestBody of(Path file) {
        return () -> Files.newInputStream(file);
    }
}
