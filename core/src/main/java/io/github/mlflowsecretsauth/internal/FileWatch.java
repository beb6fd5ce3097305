package io.github.mlflowsecretsauth.internal;

import io.github.mlflowsecretsauth.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;

/**
 * Watches one file by polling its fingerprint (real path, inode, size, modification time) on the engine's
 * scheduler, which catches an in-place write, an atomic rename and Kubernetes' {@code ..data} symlink swap alike.
 * A provider takes a {@link #mark()} before it reads the file and hands it to {@link #read(Mark)} after, so a
 * change that lands during the read is still reported at the next poll. Thread-safe; closing stops the polling.
 */
public final class FileWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FileWatch.class);

    /** The file's fingerprint at one moment; {@code null} fields when it could not be read. Opaque to callers. */
    public record Mark(Path realPath, Object fileKey, long size, long modified) {
    }

    private final Path path;
    private final Duration interval;
    private final Scheduler scheduler;
    private final Runnable changed;
    private final String what;
    private volatile Mark seen;
    private boolean closed; // guarded by this
    private Scheduler.Cancellable poll; // guarded by this

    private FileWatch(Path path, Duration interval, Scheduler scheduler, Runnable changed, String what) {
        this.path = path;
        this.interval = interval;
        this.scheduler = scheduler;
        this.changed = changed;
        this.what = what;
        this.seen = mark();
    }

    /**
     * Starts polling {@code path} every {@code interval}; {@code changed} runs on the scheduler's thread.
     *
     * @param what names the file in the log line of a change, e.g. "the secret file"
     */
    public static FileWatch start(Path path, Duration interval, Scheduler scheduler, Runnable changed, String what) {
        FileWatch w = new FileWatch(path, interval, scheduler, changed, what);
        w.schedule();
        return w;
    }

    /** The file's fingerprint now; a missing or unreadable file has a fingerprint of its own. */
    public Mark mark() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Mark(path.toRealPath(), a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return new Mark(null, null, -1, -1);
        }
    }

    /** Records that the content read after {@code before} is in use, so the next poll compares against it. */
    public void read(Mark before) {
        seen = before;
    }

    public Duration interval() {
        return interval;
    }

    private synchronized void schedule() {
        if (!closed) {
            poll = scheduler.schedule(interval, this::pollOnce);
        }
    }

    private void pollOnce() {
        try {
            Mark now = mark();
            if (!Objects.equals(now, seen)) {
                seen = now;
                LOG.info("{} {} changed; refreshing the credential", what, path);
                changed.run();
            }
        } finally {
            schedule();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (poll != null) {
            poll.cancel();
        }
    }
}
