package io.github.mlflowsecretsauth.provider.file;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.time.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the credential from a file: a Kubernetes-mounted secret, a Vault Agent template, a CSI
 * driver file. The file is polled for changes (its real path, inode, size and modification time),
 * which also catches an atomic rename and Kubernetes' symlink swap; on a change the engine refreshes
 * at once instead of waiting for the TTL. Thread-safe.
 */
final class FileSecretProvider implements SecretProvider {
    private static final Logger LOG = LoggerFactory.getLogger(FileSecretProvider.class);
    static final int MAX_BYTES = 1 << 20;

    private record Fingerprint(Path realPath, Object fileKey, long size, long modified) {
    }

    private final Path path;
    private final Duration pollInterval;
    private final Scheduler scheduler;
    private final Runnable secretChanged;
    private volatile Fingerprint seen;
    private volatile boolean closed;
    private Scheduler.Cancellable poll; // guarded by this

    FileSecretProvider(Path path, Duration pollInterval, Scheduler scheduler, Runnable secretChanged) {
        this.path = path;
        this.pollInterval = pollInterval;
        this.scheduler = scheduler;
        this.secretChanged = secretChanged;
        this.seen = fingerprint();
        schedulePoll();
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public SecretValue fetch() {
        Fingerprint before = fingerprint();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new SecretNotFoundException("the secret file " + path + " does not exist: check " + FileProviderFactory.PATH
                    + " and that the secret is mounted");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AccessDeniedException("cannot read the secret file " + path + " (permission denied): make it readable by this process's user");
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                throw new MalformedSecretException(FileProviderFactory.PATH + " points at a directory (" + path
                        + "): point it at the file that holds the secret");
            }
            throw new BackendUnavailableException("reading the secret file " + path + " failed (" + e.getClass().getSimpleName() + ")", e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new MalformedSecretException("the secret file " + path + " is larger than 1 MiB: point "
                    + FileProviderFactory.PATH + " at the file that holds only the credential");
        }
        seen = before;
        return SecretValue.ofBytes(bytes, "file:" + path, null);
    }

    private Fingerprint fingerprint() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return new Fingerprint(path.toRealPath(), a.fileKey(), a.size(), a.lastModifiedTime().toMillis());
        } catch (IOException e) {
            return null;
        }
    }

    private synchronized void schedulePoll() {
        if (!closed) {
            poll = scheduler.schedule(pollInterval, this::pollOnce);
        }
    }

    private void pollOnce() {
        try {
            Fingerprint now = fingerprint();
            if (!Objects.equals(now, seen)) {
                seen = now;
                LOG.info("the secret file {} changed; refreshing the credential", path);
                secretChanged.run();
            }
        } finally {
            schedulePoll();
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("path", path.toString());
        d.put("poll interval", pollInterval.toSeconds() + " s");
        return d;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (poll != null) {
            poll.cancel();
        }
    }
}
