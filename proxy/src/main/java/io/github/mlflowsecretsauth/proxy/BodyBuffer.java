package io.github.mlflowsecretsauth.proxy;

import org.eclipse.jetty.io.Content;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a request body of a known length into pieces of at most {@link #PIECE} bytes, chunk by chunk as the
 * network delivers them, so a buffered body costs its own size and nothing more: no growing array copied at
 * the end, and no array large enough to be a "humongous" G1 object, which would take twice its size in a
 * small heap (at {@code -Xmx64m} a 1 MiB array fills two 1 MiB regions).
 */
final class BodyBuffer {
    static final int PIECE = 64 * 1024;

    private final Content.Source source;
    private final byte[][] pieces;
    private final int length;
    private final CompletableFuture<byte[][]> done = new CompletableFuture<>();
    private int filled;

    private BodyBuffer(Content.Source source, int length) {
        this.source = source;
        this.length = length;
        int n = (length + PIECE - 1) / PIECE;
        this.pieces = new byte[n][];
        for (int i = 0; i < n; i++) {
            pieces[i] = new byte[Math.min(PIECE, length - i * PIECE)];
        }
    }

    /** The whole body; fails if the source fails, ends early or sends more than {@code length} bytes. */
    static CompletableFuture<byte[][]> read(Content.Source source, int length) {
        BodyBuffer b = new BodyBuffer(source, length);
        b.readAvailable();
        return b.done;
    }

    private void readAvailable() {
        while (true) {
            Content.Chunk chunk = source.read();
            if (chunk == null) {
                source.demand(this::readAvailable);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                done.completeExceptionally(chunk.getFailure());
                return;
            }
            ByteBuffer bytes = chunk.getByteBuffer();
            boolean last = chunk.isLast();
            if (bytes.remaining() > length - filled) {
                chunk.release();
                done.completeExceptionally(new IOException("the body is longer than its Content-Length"));
                return;
            }
            while (bytes.hasRemaining()) {
                int n = Math.min(bytes.remaining(), PIECE - filled % PIECE);
                bytes.get(pieces[filled / PIECE], filled % PIECE, n);
                filled += n;
            }
            chunk.release();
            if (last) {
                if (filled == length) {
                    done.complete(pieces);
                } else {
                    done.completeExceptionally(new EOFException("the body ended before its Content-Length"));
                }
                return;
            }
        }
    }
}
