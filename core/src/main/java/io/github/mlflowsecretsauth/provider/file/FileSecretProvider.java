package io.github.mlflowsecretsauth.provider.file;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.internal.FileWatch;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.time.Scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the credential from a file: a Kubernetes-mounted secret, a Vault Agent template, a CSI
 * driver file. The file is polled for changes (its real path, inode, size and modification time),
 * which also catches an atomic rename and Kubernetes' symlink swap; on a change the engine refreshes
 * at once instead of waiting for the TTL. Thread-safe.
 */
final class FileSecretProvider implements SecretProvider {
    static final int MAX_BYTES = 1 << 20;

    private final Path path;
    private final FileWatch watch;

    FileSecretProvider(Path path, Duration pollInterval, Scheduler scheduler, Runnable secretChanged) {
        this.path = path;
        this.watch = FileWatch.start(path, pollInterval, scheduler, secretChanged, "the secret file");
    }

    @Override
    public String name() {
        return "file";
    }

    @Override
    public SecretValue fetch() {
        FileWatch.Mark before = watch.mark();
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
        watch.read(before);
        return SecretValue.ofBytes(bytes, "file:" + path, null);
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("path", path.toString());
        d.put("poll interval", watch.interval().toSeconds() + " s");
        return d;
    }

    @Override
    public void close() {
        watch.close();
    }
}
