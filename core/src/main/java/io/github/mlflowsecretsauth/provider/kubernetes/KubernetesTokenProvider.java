package io.github.mlflowsecretsauth.provider.kubernetes;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.internal.FileWatch;
import io.github.mlflowsecretsauth.internal.JwtClaims;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.time.Scheduler;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.github.mlflowsecretsauth.provider.kubernetes.KubernetesProviderFactory.TOKEN_PATH;

/**
 * Reads the pod's service-account token from its file, the way the kubelet leaves it in a projected volume: a
 * {@code token} symlink into a {@code ..data} directory that the kubelet swaps atomically when it rotates the
 * token. The file is polled ({@link FileWatch}), so a rotated token is in use within one poll interval; between
 * rotations the engine serves the token from memory until shortly before its own {@code exp}. The token is not
 * verified here (the server does that); its claims are read only for its lifetime and for reports. Adds MLflow's
 * {@code X-MLFLOW-WORKSPACE} header when a workspace is known. Thread-safe.
 */
final class KubernetesTokenProvider implements SecretProvider {
    static final String WORKSPACE_HEADER = "X-MLFLOW-WORKSPACE";
    private static final int MAX_TOKEN_BYTES = 64 * 1024;
    private static final int MAX_NAMESPACE_BYTES = 1024;

    private final Path path;
    private final Path namespaceFile;
    private final Path podNamespaceFile;
    private final Optional<String> workspace;
    private final Duration ttlWithoutExp;
    private final Clock clock;
    private final FileWatch watch;
    private volatile JwtClaims lastClaims;

    /**
     * @param podNamespaceFile where the pod's default service-account mount keeps its namespace, read when there is
     *                         no {@code namespace} file beside the token (a projected volume with a token only)
     */
    KubernetesTokenProvider(Path path, Optional<String> workspace, Path podNamespaceFile, Duration poll,
                            Duration ttlWithoutExp, Clock clock, Scheduler scheduler, Runnable secretChanged) {
        this.path = path;
        this.namespaceFile = path.resolveSibling("namespace");
        this.podNamespaceFile = podNamespaceFile;
        this.workspace = workspace;
        this.ttlWithoutExp = ttlWithoutExp;
        this.clock = clock;
        this.watch = FileWatch.start(path, poll, scheduler, secretChanged, "the service-account token file");
    }

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public SecretValue fetch() {
        FileWatch.Mark before = watch.mark();
        String token = readToken();
        JwtClaims claims = claimsOf(token);
        Instant now = clock.instant();
        claims.expiresAt().filter(exp -> !exp.isAfter(now)).ifPresent(exp -> {
            throw new BackendUnavailableException("the service-account token in " + path + " (" + TOKEN_PATH
                    + ") expired at " + exp + " (now " + now + "): the kubelet rotates a projected token before it"
                    + " expires, so check that the pod still runs, that the file is a projected serviceAccountToken"
                    + " volume, and this machine's clock", null, false, null);
        });
        lastClaims = claims;
        watch.read(before);
        SecretValue value = SecretValue.ofText(token, "kubernetes:" + path, null);
        if (claims.expiresAt().isPresent()) {
            value = value.expiringAt(claims.expiresAt().get());
        }
        Optional<String> ws = workspace.or(this::namespace);
        return ws.isPresent() ? value.withExtraHeaders(Map.of(WORKSPACE_HEADER, ws.get())) : value;
    }

    private String readToken() {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            bytes = in.readNBytes(MAX_TOKEN_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new SecretNotFoundException("the service-account token file " + path + " does not exist: run in a pod"
                    + " with a mounted service-account token, or set " + TOKEN_PATH + " to the token file");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new AccessDeniedException("cannot read the service-account token file " + path + " (" + TOKEN_PATH
                    + ", permission denied): make it readable by this process's user (the pod's fsGroup)");
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                throw new MalformedSecretException(TOKEN_PATH + " points at a directory (" + path
                        + "): point it at the token file inside it");
            }
            throw new BackendUnavailableException("reading the service-account token file " + path + " (" + TOKEN_PATH
                    + ") failed (" + e.getClass().getSimpleName() + ")", e);
        }
        if (bytes.length > MAX_TOKEN_BYTES) {
            throw new MalformedSecretException("the file at " + TOKEN_PATH + " (" + path + ") is larger than 64 KiB, more"
                    + " than a service-account token: point it at the token file");
        }
        String token = new String(bytes, StandardCharsets.UTF_8).trim();
        if (token.isEmpty()) {
            throw new MalformedSecretException("the service-account token file " + path + " (" + TOKEN_PATH + ") is empty:"
                    + " the kubelet has not written the token yet, or the variable points at the wrong file");
        }
        return token;
    }

    private JwtClaims claimsOf(String token) {
        try {
            return JwtClaims.parse(token);
        } catch (JwtClaims.NotAJwt e) {
            throw new MalformedSecretException("the file at " + TOKEN_PATH + " (" + path + ") is not a service-account"
                    + " token: " + e.getMessage() + "; point it at the pod's token file");
        }
    }

    /** The pod's namespace: the file beside the token, else the default mount's, when there is one. */
    private Optional<String> namespace() {
        return readNamespace(namespaceFile).or(() -> readNamespace(podNamespaceFile));
    }

    private Optional<Path> namespaceSource() {
        return readNamespace(namespaceFile).isPresent() ? Optional.of(namespaceFile)
                : readNamespace(podNamespaceFile).map(n -> podNamespaceFile);
    }

    private static Optional<String> readNamespace(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String ns = new String(in.readNBytes(MAX_NAMESPACE_BYTES), StandardCharsets.UTF_8).trim();
            return ns.isEmpty() ? Optional.empty() : Optional.of(ns);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("token path", path.toString());
        d.put("poll interval", watch.interval().toSeconds() + " s");
        d.put("workspace", workspace.map(w -> w + " (MLFLOW_WORKSPACE)").or(() -> namespaceSource()
                .flatMap(f -> readNamespace(f).map(n -> n + " (" + f + ")")))
                .orElse("none: no " + WORKSPACE_HEADER + " header is sent"));
        JwtClaims c = lastClaims;
        if (c == null) {
            try {
                c = claimsOf(readToken());
            } catch (SecretsAuthException e) {
                d.put("token", e.getMessage());
                return d;
            }
        }
        d.put("issuer", c.issuer().orElse("(none)"));
        d.put("audience", c.audience().isEmpty() ? "(none)" : String.join(", ", c.audience()));
        d.put("subject", c.subject().orElse("(none)"));
        d.put("expires", c.expiresAt().map(Instant::toString)
                .orElse("no exp claim: re-read every " + ttlWithoutExp.toSeconds() + " s (MLFLOW_KUBERNETES_TTL_SEC)"));
        return d;
    }

    @Override
    public void close() {
        watch.close();
    }

    @Override
    public String toString() {
        return "KubernetesTokenProvider{" + path + "}";
    }
}
