package io.github.mlflowsecretsauth.proxy;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A large or chunked request body read to a private temporary file, for a SigV4 signature that covers the body's
 * hash. The file is deleted when the exchange ends, however it ends.
 */
record SpooledBody(Path file) {
    private static final Logger LOG = LoggerFactory.getLogger(SpooledBody.class);

    /** Reads all of {@code source} to a new temporary file (owner-only, as {@link Files#createTempFile} makes it). */
    static SpooledBody read(Content.Source source) throws IOException {
        Path file = Files.createTempFile("mlflow-secrets-auth-body-", ".bin");
        try {
            try (InputStream in = Content.Source.asInputStream(source); OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
            return new SpooledBody(file);
        } catch (IOException | RuntimeException e) {
            delete(file);
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    /** {@code callback}, deleting the file first when the exchange succeeds or fails. */
    Callback deletingOnCompletion(Callback callback) {
        return new Callback() {
            @Override
            public void succeeded() {
                delete(file);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                delete(file);
                callback.failed(x);
            }
        };
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete the spooled request body {}", file);
        }
    }
}
