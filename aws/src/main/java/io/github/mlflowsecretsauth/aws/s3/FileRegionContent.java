package io.github.mlflowsecretsauth.aws.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * One region of a file as an upload body: every {@link #newStream()} opens the file and reads only
 * {@code [offset, offset + length)}, so a part is never held in memory by this class, and a retried request
 * reads the region again. Progress is reported as deltas beyond the furthest point any stream reached, so
 * a retry does not count bytes twice. A stream stops with {@link InterruptedIOException} once its thread
 * is interrupted or the upload is cancelled. Thread-safe.
 */
final class FileRegionContent implements ContentStreamProvider {
    private final Path file;
    private final long offset;
    private final long length;
    private final LongConsumer progress;
    private final BooleanSupplier cancelled;
    private final AtomicLong reported = new AtomicLong();

    FileRegionContent(Path file, long offset, long length, LongConsumer progress, BooleanSupplier cancelled) {
        this.file = file;
        this.offset = offset;
        this.length = length;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    @Override
    public InputStream newStream() {
        try {
            return new RegionStream(FileChannel.open(file, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "FileRegion";
    }

    private final class RegionStream extends InputStream {
        private final FileChannel channel;
        private long position;

        RegionStream(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (Thread.currentThread().isInterrupted() || cancelled.getAsBoolean()) {
                throw new InterruptedIOException("upload interrupted");
            }
            long left = length - position;
            if (left <= 0) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, left)), offset + position);
            if (n < 0) {
                throw new IOException("the file " + file.getFileName() + " shrank while it was being uploaded");
            }
            position += n;
            long before = reported.getAndAccumulate(position, Math::max);
            if (position > before) {
                progress.accept(position - before);
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
