package io.github.mlflowsecretsauth.testkit.kubernetes;

import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A projected service-account volume laid out as the kubelet's atomic writer leaves it: the files live in a
 * timestamped {@code ..<time>} directory, {@code ..data} is a symlink to it, and {@code token}, {@code namespace}
 * and {@code ca.crt} are symlinks into {@code ..data}. {@link #rotate(String)} writes a new directory, swaps
 * {@code ..data} with one atomic rename of a fresh symlink, then deletes the old directory, as the kubelet does.
 * Thread-safe (rotations are serialised).
 */
public final class ProjectedVolume {
    /** The issuer of the tokens {@link #serviceAccountToken} signs, as a cluster's API server names itself. */
    public static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    private final Path dir;
    private Path current; // guarded by this
    private int rotations; // guarded by this

    private ProjectedVolume(Path dir) {
        this.dir = dir;
    }

    /** Lays out the volume in {@code dir} (which must exist) with this token and namespace. */
    public static ProjectedVolume create(Path dir, String namespace, String token) {
        ProjectedVolume v = new ProjectedVolume(dir);
        v.write(namespace, token);
        try {
            for (String f : new String[] {"token", "namespace", "ca.crt"}) {
                Files.createSymbolicLink(dir.resolve(f), Path.of("..data", f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return v;
    }

    /** A service-account token signed by {@code key}, with the claims a cluster puts in a projected token. */
    public static String serviceAccountToken(TokenKey key, String namespace, String serviceAccount, String audience,
                                             Instant issuedAt, Instant expiresAt) {
        Map<String, Object> k8s = new LinkedHashMap<>();
        k8s.put("namespace", namespace);
        k8s.put("serviceaccount", Map.of("name", serviceAccount, "uid", UUID.randomUUID().toString()));
        return key.sign(ISSUER, "system:serviceaccount:" + namespace + ":" + serviceAccount, audience, issuedAt,
                expiresAt, Map.of("kubernetes.io", k8s));
    }

    /** The {@code token} symlink a pod reads. */
    public Path tokenPath() {
        return dir.resolve("token");
    }

    public Path namespacePath() {
        return dir.resolve("namespace");
    }

    /** Replaces the token the way the kubelet rotates it; the namespace stays. */
    public synchronized void rotate(String token) {
        String namespace;
        try {
            namespace = Files.readString(current.resolve("namespace"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(namespace, token);
        rotations++;
    }

    /** How many times {@link #rotate(String)} ran. */
    public synchronized int rotations() {
        return rotations;
    }

    private synchronized void write(String namespace, String token) {
        try {
            Path next = Files.createDirectory(dir.resolve("..v" + System.nanoTime()));
            Files.writeString(next.resolve("token"), token, StandardCharsets.UTF_8);
            Files.writeString(next.resolve("namespace"), namespace, StandardCharsets.UTF_8);
            Files.writeString(next.resolve("ca.crt"), "", StandardCharsets.UTF_8);
            Path tmp = dir.resolve("..data_tmp");
            Files.createSymbolicLink(tmp, next.getFileName());
            Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Path old = current;
            current = next;
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
