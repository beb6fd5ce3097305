package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.artifact.TransferListener;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports every read to a {@link TransferListener} as a delta. Not thread-safe (one reader). */
final class CountingInputStream extends FilterInputStream {
    private final TransferListener listener;
    private final String path;
    private long count;

    CountingInputStream(InputStream in, TransferListener listener, String path) {
        super(in);
        this.listener = listener;
        this.path = path;
    }

    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            moved(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            moved(n);
        }
        return n;
    }

    private void moved(long n) {
        count += n;
        listener.transferred(path, n);
    }
}
