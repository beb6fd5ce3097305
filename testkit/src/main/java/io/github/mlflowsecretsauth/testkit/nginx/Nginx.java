package io.github.mlflowsecretsauth.testkit.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real nginx (Debian's package) run as a child process with its own throw-away configuration,
 * in front of one upstream such as the testkit MLflow server: the shape of a production MLflow
 * behind an nginx that demands Basic, Bearer or an API-key header.
 *
 * <pre>{@code
 * try (Nginx nginx = Nginx.builder()
 *         .upstream(URI.create("http://127.0.0.1:" + mlflowPort))
 *         .bearerTokens("old-token")
 *         .start()) {
 *     ... requests to nginx.uri() ...
 *     nginx.setBearerTokens("old-token", "new-token");   // grace overlap
 *     nginx.setBearerTokens("new-token");                // old one now gets 401
 * }
 * }</pre>
 *
 * <p>What it runs: {@code nginx -p DIR -c DIR/nginx.conf -e DIR/error.log} in the foreground
 * ({@code daemon off}, one master, one worker), listening on {@code 127.0.0.1} only. The pid file,
 * logs, htpasswd file and every temp path live in a new temporary directory that {@link #close()}
 * deletes. Request and response bodies stream ({@code proxy_request_buffering off},
 * {@code proxy_buffering off}) and body size is unlimited by default, as MLflow artifacts can be
 * large. The upstream sees {@code Host} set to its own authority, plus {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}, over HTTP/1.1 keep-alive connections.
 * A failed access check is answered by nginx with 401 and never reaches the upstream.
 *
 * <p>TLS: {@link Builder#tls} serves HTTPS with a given certificate and key, and
 * {@link Builder#requireClientCertificate} demands a client certificate from a given CA (mutual
 * TLS); {@code testkit.tls.CertificateAuthority} makes all three. The launcher's readiness probe
 * then answers on a second, plain-HTTP port that serves nothing else.
 *
 * <p>When the JVM runs as root, nginx's workers run as {@code www-data} (or {@code nobody}): the
 * directory is then made traversable by others (mode 711) and the htpasswd file readable by the
 * worker's group (mode 640); the configuration, which holds the accepted tokens, stays 600 since
 * only the root master reads it.
 *
 * <p>Rotation: {@link #setBearerTokens}, {@link #setBasicAuth}, {@link #setCustomHeader} and
 * {@link #replaceCredentials} validate a new configuration with {@code nginx -t}, run {@code nginx
 * -s reload}, and return only once new connections are served by the new configuration and the old
 * worker has gone (or had 3 s to finish its in-flight requests).
 *
 * <p>Thread-safety: all methods may be called from any thread; reloads, {@link #errorLog()} and
 * {@link #close()} are serialised on the instance. {@link Builder} is not thread-safe.
 *
 * <p>Failure behaviour: {@link Builder#start()} throws {@link IllegalStateException} with the
 * one-line message {@value #NOT_INSTALLED} when there is no nginx binary, and an
 * {@link IllegalStateException} carrying nginx's error log when nginx exits or does not answer
 * within the start timeout (10 s by default); it never leaves a process or directory behind. A
 * rejected new configuration leaves the running one in force. {@link #close()} never throws: it
 * asks nginx to quit, then kills the master and its workers if they linger, within about 10 s.
 * Should the JVM exit without {@code close()}, a shutdown hook stops nginx.
 */
public final class Nginx implements AutoCloseable {

    /** The message of the exception thrown when nginx is missing. */
    public static final String NOT_INSTALLED = "nginx is not installed: apt-get install nginx";

    private static final long POLL_MILLIS = 50;
    private static final long HELPER_TIMEOUT_SECONDS = 10;
    private static final Duration OLD_WORKER_GRACE = Duration.ofSeconds(3);
    private static final Duration QUIT_GRACE = Duration.ofSeconds(5);
    private static final int MAX_LOG_CHARS = 64 * 1024;
    private static final Pattern BODY_SIZE = Pattern.compile("[0-9]+[kKmMgG]?");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path binary;
    private final Path directory;
    private final Duration timeout;
    private final String nonce = UUID.randomUUID().toString().substring(0, 8);
    private final Thread shutdownHook;

    private NginxConfig.Settings settings;
    private Process process;
    private AccessRules rules;
    private Path htpasswd;
    private int generation;
    private boolean closed;
    private String finalErrorLog;
    private String finalAccessLog;

    private Nginx(Path binary, Path directory, NginxConfig.Settings settings, AccessRules rules, Duration timeout) {
        this.binary = binary;
        this.directory = directory;
        this.settings = settings;
        this.rules = rules;
        this.timeout = timeout;
        this.shutdownHook = new Thread(this::killOnJvmExit, "testkit-nginx-shutdown");
    }

    /** A builder for a new nginx; nothing runs until {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A dynamic module of the installed nginx, such as {@code ngx_http_js_module.so} (njs, Debian's
     * {@code libnginx-mod-http-js}), from {@code /usr/lib/nginx/modules} or {@code /usr/lib64/nginx/modules}.
     */
    public static Optional<Path> module(String fileName) {
        return Stream.of("/usr/lib/nginx/modules", "/usr/lib64/nginx/modules", "/usr/local/nginx/modules")
                .map(d -> Path.of(d, fileName)).filter(Files::isReadable).findFirst();
    }

    /** Whether an nginx binary is on PATH or in {@code /usr/sbin} (or {@code /usr/local/sbin}, {@code /sbin}). */
    public static boolean isAvailable() {
        return Executables.find("nginx").isPresent();
    }

    /**
     * The nginx binary: the first on PATH, else in {@code /usr/sbin}, {@code /usr/local/sbin} or
     * {@code /sbin} (Debian installs it in {@code /usr/sbin}, which a non-root PATH often lacks).
     *
     * @throws IllegalStateException with the message {@value #NOT_INSTALLED} if there is none
     */
    public static Path binary() {
        return Executables.find("nginx").orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
    }

    /**
     * Fails when nginx is missing on CI, so that nginx-backed tests cannot be skipped there
     * silently. Call it before {@code Assumptions.assumeTrue(Nginx.isAvailable())}.
     *
     * @throws IllegalStateException if the environment variable {@code CI} is {@code true} and
     *     nginx is not installed
     */
    public static void requireAvailable() {
        if (!isAvailable() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(NOT_INSTALLED + " (CI=true: nginx tests must not be skipped)");
        }
    }

    /** Where clients reach nginx: {@code http://127.0.0.1:PORT}, or {@code https://} with {@link Builder#tls}. */
    public URI uri() {
        return URI.create((isTls() ? "https" : "http") + "://127.0.0.1:" + port());
    }

    /** Whether nginx serves TLS ({@link Builder#tls}). */
    public synchronized boolean isTls() {
        return settings.tls() != null;
    }

    /**
     * With {@link Builder#requireClientCertificate}, the header in which the upstream receives the
     * verified client certificate's subject (nginx's {@code $ssl_client_s_dn}).
     */
    public static String clientSubjectHeader() {
        return NginxConfig.CLIENT_SUBJECT_HEADER;
    }

    /** The port nginx listens on, on 127.0.0.1. */
    public synchronized int port() {
        return settings.port();
    }

    /** The nginx master process id, to check that it has gone. */
    public synchronized long pid() {
        return process.pid();
    }

    /** The temporary directory with nginx.conf, logs and temp paths; gone after {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** The access rules in force. */
    public synchronized AccessRules accessRules() {
        return rules;
    }

    /** The configuration nginx currently runs (it may hold accepted tokens: don't log it in CI output). */
    public synchronized String config() {
        return read(directory.resolve("nginx.conf"));
    }

    /** Makes {@code user}/{@code password} the only Basic user, and reloads. */
    public void setBasicAuth(String user, String password) {
        setBasicAuth(Map.of(user, password));
    }

    /**
     * Makes these the only Basic users (user name to password), and reloads. An empty map turns
     * Basic auth off.
     *
     * @throws IllegalArgumentException if Bearer tokens are configured, or a user or password is invalid
     */
    public synchronized void setBasicAuth(Map<String, String> users) {
        AccessRules next = rules.withoutBasicAuth();
        for (Map.Entry<String, String> user : users.entrySet()) {
            next = next.withBasicUser(user.getKey(), user.getValue());
        }
        replaceCredentials(next);
    }

    /**
     * Makes these the only Basic users without reloading: nginx reads {@code auth_basic_user_file} on every
     * request, so rewriting the file (atomically, by rename) rotates the credential while every connection stays
     * open. This is how an nginx in front of MLflow can rotate without the connection closes a reload causes.
     *
     * @throws IllegalStateException if Basic auth was not configured at start (the file must already be in use)
     */
    public synchronized void rewriteBasicUsers(Map<String, String> users) {
        requireRunning();
        if (htpasswd == null || rules.basicUsers().isEmpty()) {
            throw new IllegalStateException("rewriteBasicUsers needs Basic auth configured at start (basicAuth(...))");
        }
        AccessRules next = rules.withoutBasicAuth();
        for (Map.Entry<String, String> user : users.entrySet()) {
            next = next.withBasicUser(user.getKey(), user.getValue());
        }
        Path candidate = directory.resolve(htpasswd.getFileName() + ".next");
        writePrivate(candidate, Htpasswd.render(next.basicUsers()));
        if (settings.workerUser() != null) {
            shareWithWorkers(candidate, settings.workerGroup());
        }
        try {
            Files.move(candidate, htpasswd, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + htpasswd, e);
        }
        rules = next;
    }

    /**
     * Makes these the only accepted Bearer tokens, and reloads. Pass the old and the new token
     * together for a grace overlap. No tokens turns the Bearer check off.
     *
     * @throws IllegalArgumentException if Basic users are configured, or a token is invalid
     */
    public synchronized void setBearerTokens(String... tokens) {
        replaceCredentials(rules.withBearerTokens(tokens));
    }

    /** Makes these the only accepted values of header {@code name} (none: no check), and reloads. */
    public synchronized void setCustomHeader(String name, String... acceptedValues) {
        replaceCredentials(rules.withHeader(name, acceptedValues));
    }

    /**
     * Replaces every access rule at once, reloads nginx, and waits until the new rules are in
     * effect for new connections.
     *
     * @throws IllegalStateException if nginx has stopped or been closed, {@code nginx -t} rejects
     *     the new configuration (the old one then stays in force), or the reload does not take
     *     effect within the start timeout; the message carries nginx's output or error log
     */
    public synchronized void replaceCredentials(AccessRules newRules) {
        Objects.requireNonNull(newRules, "newRules");
        requireRunning();
        int next = generation + 1;
        Path nextHtpasswd = writeHtpasswd(newRules, next);
        Path candidate = directory.resolve("nginx.conf.next");
        writePrivate(candidate, NginxConfig.render(settings, newRules, nextHtpasswd, generationText(next)));
        Executables.Result test = nginxCommand(candidate, "-t");
        if (test.exitCode() != 0) {
            deleteQuietly(candidate);
            deleteQuietly(nextHtpasswd);
            throw new IllegalStateException("nginx rejected the new configuration: " + test.output());
        }
        try {
            Files.move(candidate, directory.resolve("nginx.conf"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace nginx.conf", e);
        }
        Set<Long> oldWorkers = workerPids();
        Executables.Result reload = nginxCommand(directory.resolve("nginx.conf"), "-s", "reload");
        if (reload.exitCode() != 0) {
            throw new IllegalStateException("nginx -s reload failed: " + reload.output() + "\n" + errorLog());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!generationText(next).equals(probe())) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited during reload with code " + process.exitValue()
                        + "\n" + errorLog());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("nginx did not take the new configuration within "
                        + timeout.toMillis() + " ms\n" + errorLog());
            }
            sleep();
        }
        // Until the old worker has handled its QUIT it may still accept connections; it then
        // exits once its in-flight requests finish, which the wait below allows for briefly.
        long workerDeadline = System.nanoTime() + OLD_WORKER_GRACE.toNanos();
        while (oldWorkers.stream().anyMatch(Nginx::isAlive) && System.nanoTime() < workerDeadline) {
            sleep();
        }
        Path previousHtpasswd = htpasswd;
        rules = newRules;
        htpasswd = nextHtpasswd;
        generation = next;
        if (previousHtpasswd != null && !previousHtpasswd.equals(nextHtpasswd)) {
            deleteQuietly(previousHtpasswd);
        }
    }

    /**
     * nginx's error log (the last 64 KiB) and anything it printed to stderr, for failure messages.
     * After {@link #close()}, what they held at the time.
     */
    public synchronized String errorLog() {
        if (finalErrorLog != null) {
            return finalErrorLog;
        }
        String log = tail(read(directory.resolve("error.log")));
        String stderr = tail(read(directory.resolve("nginx.stderr")).strip());
        return stderr.isEmpty() ? log : log + "\n[nginx stderr]\n" + stderr;
    }

    /** nginx's access log (the last 64 KiB); after {@link #close()}, what it held at the time. */
    public synchronized String accessLog() {
        return finalAccessLog != null ? finalAccessLog : tail(read(directory.resolve("access.log")));
    }

    /**
     * Stops nginx ({@code nginx -s quit}, then a kill of the master and its workers if they are
     * still there after 5 s) and deletes the temporary directory. Idempotent; never throws.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            finalErrorLog = errorLog();
            finalAccessLog = accessLog();
            deleteTree(directory);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException ignored) {
                // The JVM is shutting down already, or the hook was never registered.
            }
        }
    }

    @Override
    public String toString() {
        return "Nginx[" + uri() + " -> " + settings.upstream() + ", " + accessRules() + "]";
    }

    // ---------------------------------------------------------------- start

    private void launch(boolean fixedPort) {
        int attempts = fixedPort ? 1 : 5;
        for (int attempt = 1; ; attempt++) {
            if (!fixedPort || settings.tls() != null) {
                settings = withPort(settings, fixedPort ? settings.port() : freePort());
            }
            generation = 1;
            htpasswd = writeHtpasswd(rules, generation);
            writePrivate(directory.resolve("nginx.conf"),
                    NginxConfig.render(settings, rules, htpasswd, generationText(generation)));
            deleteQuietly(directory.resolve("error.log"));
            ProcessBuilder builder = new ProcessBuilder(nginxArgs(directory.resolve("nginx.conf")))
                    .directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(directory.resolve("nginx.stdout").toFile())
                    .redirectError(directory.resolve("nginx.stderr").toFile());
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot run " + binary + ": " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (generationText(generation).equals(probe())) {
                    return;
                }
                if (!process.isAlive()) {
                    break;
                }
                if (read(directory.resolve("error.log")).contains("Address already in use")) {
                    // nginx would retry bind() for 2.5 s before giving up; no need to wait.
                    stop();
                    break;
                }
                if (System.nanoTime() > deadline) {
                    String log = errorLog();
                    stop();
                    throw new IllegalStateException("nginx did not answer on " + uri() + " within "
                            + timeout.toMillis() + " ms\n" + log);
                }
                sleep();
            }
            String log = errorLog();
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            boolean portTaken = log.contains("Address already in use");
            if (!portTaken || attempt >= attempts) {
                throw new IllegalStateException((portTaken ? "nginx cannot listen on 127.0.0.1:" + settings.port()
                        : "nginx exited with code " + process.exitValue()) + " before it was ready\n" + log);
            }
        }
    }

    private static NginxConfig.Settings withPort(NginxConfig.Settings s, int port) {
        int probePort = s.tls() == null ? port : freePort();
        while (probePort == port) {
            probePort = freePort();
        }
        return s.withPorts(port, probePort);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    // ---------------------------------------------------------------- stop

    private void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> workers = process.descendants().collect(Collectors.toList());
        if (process.isAlive()) {
            boolean asked = false;
            // Until nginx has bound its port it has no pid file, and "-s quit" cannot reach it.
            if (read(directory.resolve("nginx.pid")).strip().equals(Long.toString(process.pid()))) {
                try {
                    asked = nginxCommand(directory.resolve("nginx.conf"), "-s", "quit").exitCode() == 0;
                } catch (RuntimeException ignored) {
                    // Fall through to the kill below.
                }
            }
            if (!asked || !waitFor(process.toHandle(), QUIT_GRACE)) {
                process.destroy();                  // SIGTERM: nginx's fast shutdown
                if (!waitFor(process.toHandle(), Duration.ofSeconds(2))) {
                    process.destroyForcibly();
                    waitFor(process.toHandle(), Duration.ofSeconds(2));
                }
            }
        }
        for (ProcessHandle worker : workers) {
            if (worker.isAlive()) {
                worker.destroyForcibly();
                waitFor(worker, Duration.ofSeconds(2));
            }
        }
    }

    private void killOnJvmExit() {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> workers = p.descendants().collect(Collectors.toList());
        p.destroy();
        waitFor(p.toHandle(), Duration.ofSeconds(2));
        p.destroyForcibly();
        workers.forEach(ProcessHandle::destroyForcibly);
        deleteTree(directory);
    }

    private static boolean waitFor(ProcessHandle handle, Duration limit) {
        try {
            handle.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    Set<Long> workerPids() {
        return process.children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    // ---------------------------------------------------------------- helpers

    private List<String> nginxArgs(Path config, String... extra) {
        List<String> args = new ArrayList<>();
        args.add(binary.toString());
        args.add("-p");
        args.add(directory + "/");
        args.add("-c");
        args.add(config.toString());
        args.add("-e");
        args.add(directory.resolve("error.log").toString());
        args.addAll(List.of(extra));
        return args;
    }

    private Executables.Result nginxCommand(Path config, String... extra) {
        return Executables.run(nginxArgs(config, extra), null, HELPER_TIMEOUT_SECONDS);
    }

    private void requireRunning() {
        if (closed) {
            throw new IllegalStateException("this nginx has been closed");
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("nginx has exited with code " + process.exitValue() + "\n" + errorLog());
        }
    }

    private String generationText(int n) {
        return nonce + "-" + n;
    }

    /**
     * Asks the probe location, on a fresh connection, which configuration generation answers.
     * Null when nothing answers or the answer is not a 200.
     */
    private String probe() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), settings.probePort()), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + NginxConfig.PROBE_PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + settings.probePort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readNBytes(16 * 1024), StandardCharsets.ISO_8859_1);
            int bodyStart = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.1 200 ") || bodyStart < 0) {
                return null;
            }
            return response.substring(bodyStart + 4);
        } catch (IOException e) {
            return null;
        }
    }

    private Path writeHtpasswd(AccessRules forRules, int forGeneration) {
        if (forRules.basicUsers().isEmpty()) {
            return null;
        }
        Path file = directory.resolve("htpasswd-" + forGeneration);
        writePrivate(file, Htpasswd.render(forRules.basicUsers()));
        if (settings.workerUser() != null) {
            shareWithWorkers(file, settings.workerGroup());
        }
        return file;
    }

    /** Lets the worker's group read the file (640); falls back to world-readable (644). */
    private static void shareWithWorkers(Path file, String group) {
        try {
            Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(
                    FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (IOException e2) {
                throw new UncheckedIOException("cannot make " + file + " readable for nginx workers", e2);
            }
        }
    }

    /** Copies a TLS file for nginx's master, which reads it at start and on reload (the workers never do). */
    private static Path copyPrivate(Path from, Path to) throws IOException {
        Files.deleteIfExists(to);
        Files.createFile(to, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.write(to, Files.readAllBytes(from));
        return to;
    }

    private static void writePrivate(Path file, String content) {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static String tail(String text) {
        return text.length() <= MAX_LOG_CHARS ? text : "..." + text.substring(text.length() - MAX_LOG_CHARS);
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // A leftover file in a temporary directory is harmless.
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(Nginx::deleteQuietly);
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: it is a temporary directory.
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for nginx", e);
        }
    }

    // ---------------------------------------------------------------- root and the worker account

    private static boolean runningAsRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** {@code www-data} if it exists, else {@code nobody}; each with its primary group's name. */
    private static String[] workerAccount() {
        List<String> passwd = lines(Path.of("/etc/passwd"));
        List<String> groups = lines(Path.of("/etc/group"));
        for (String candidate : List.of("www-data", "nobody")) {
            Optional<String> gid = passwd.stream().map(l -> l.split(":", -1))
                    .filter(f -> f.length > 3 && f[0].equals(candidate)).map(f -> f[3]).findFirst();
            Optional<String> group = gid.flatMap(g -> groups.stream().map(l -> l.split(":", -1))
                    .filter(f -> f.length > 2 && f[2].equals(g)).map(f -> f[0]).findFirst());
            if (group.isPresent()) {
                return new String[] {candidate, group.get()};
            }
        }
        throw new IllegalStateException("running as root, but neither www-data nor nobody exists "
                + "to run nginx's workers as");
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Root's workers must reach the directory by name: every ancestor must be traversable by others. */
    private static void requireTraversable(Path directory) {
        for (Path p = directory.getParent(); p != null; p = p.getParent()) {
            try {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("nginx workers run as an unprivileged user and cannot "
                            + "traverse " + p + "; use Nginx.Builder.workDirectoryIn(...) with a directory "
                            + "such as /tmp");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot check the permissions of " + p, e);
            }
        }
    }

    // ---------------------------------------------------------------- builder

    /**
     * Configures an {@link Nginx}. Every setting has a default: no upstream (everything but the
     * extra locations answers 404), no access checks, a free port, unlimited body size, no
     * buffering, realm {@code "mlflow"}, a 10 s start timeout, a directory under
     * {@code java.io.tmpdir}.
     *
     * <p>Thread-safety: not thread-safe; use it from one thread. Failure behaviour: setters throw
     * {@link IllegalArgumentException} for values nginx could not carry; {@link #start()} throws
     * {@link IllegalStateException} as described on {@link Nginx}.
     */
    public static final class Builder {

        private URI upstream;
        private AccessRules rules = AccessRules.none();
        private int port;
        private String clientMaxBodySize = "0";
        private boolean proxyBuffering;
        private boolean requestBuffering;
        private String realm = "mlflow";
        private final List<NginxConfig.Location> locations = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(10);
        private Path workDirectoryParent;
        private Path serverCertificate;
        private Path serverKey;
        private Path clientCa;
        private final List<Path> modules = new ArrayList<>();
        private final StringBuilder httpDirectives = new StringBuilder();
        private final Map<String, String> files = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /**
         * The upstream every request is proxied to: {@code http://127.0.0.1:PORT} (or https), with
         * no path, query or user info.
         */
        public Builder upstream(URI upstream) {
            Objects.requireNonNull(upstream, "upstream");
            String scheme = upstream.getScheme();
            if (!("http".equals(scheme) || "https".equals(scheme)) || upstream.getHost() == null) {
                throw new IllegalArgumentException("the upstream must be an http(s) URI with a host: " + upstream);
            }
            String path = upstream.getRawPath();
            if ((path != null && !path.isEmpty() && !path.equals("/")) || upstream.getRawQuery() != null
                    || upstream.getRawUserInfo() != null || upstream.getRawFragment() != null) {
                throw new IllegalArgumentException("the upstream takes no path, query or user info: " + upstream);
            }
            this.upstream = upstream;
            return this;
        }

        /** Adds a Basic user (an htpasswd line hashed by {@code openssl passwd -apr1}); call again for more. */
        public Builder basicAuth(String user, String password) {
            rules = rules.withBasicUser(user, password);
            return this;
        }

        /** The accepted {@code Authorization: Bearer} tokens (replacing any set before). */
        public Builder bearerTokens(String... tokens) {
            rules = rules.withBearerTokens(tokens);
            return this;
        }

        /** Requires header {@code name} (for example {@code X-Api-Key}) to carry one of these values. */
        public Builder customHeader(String name, String... acceptedValues) {
            rules = rules.withHeader(name, acceptedValues);
            return this;
        }

        /** Replaces all access rules at once. */
        public Builder accessRules(AccessRules accessRules) {
            rules = Objects.requireNonNull(accessRules, "accessRules");
            return this;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.port = port;
            return this;
        }

        /** nginx's {@code client_max_body_size}, such as {@code "10m"}; {@code "0"} (the default) is unlimited. */
        public Builder clientMaxBodySize(String size) {
            if (size == null || !BODY_SIZE.matcher(size).matches()) {
                throw new IllegalArgumentException("not an nginx size (digits and an optional k, m or g): " + size);
            }
            this.clientMaxBodySize = size;
            return this;
        }

        /** nginx's {@code proxy_buffering} for responses; off (the default) streams downloads. */
        public Builder proxyBuffering(boolean on) {
            this.proxyBuffering = on;
            return this;
        }

        /** nginx's {@code proxy_request_buffering}; off (the default) streams uploads. */
        public Builder requestBuffering(boolean on) {
            this.requestBuffering = on;
            return this;
        }

        /** The Basic auth realm nginx names in {@code WWW-Authenticate}. */
        public Builder realm(String realm) {
            if (realm == null || realm.isEmpty() || !realm.chars().allMatch(c -> c >= 0x20 && c < 0x7f && c != '$')) {
                throw new IllegalArgumentException("a realm is printable ASCII without '$'");
            }
            this.realm = realm;
            return this;
        }

        /**
         * An escape hatch: an extra {@code location PATH { DIRECTIVES }} block, with the access
         * checks placed before the directives. {@code path} is everything after the word
         * {@code location} ({@code "/redirect"}, {@code "= /exact"}, {@code "~ ^/api/.*\\.json$"});
         * {@code directives} is raw nginx text, for example {@code "return 302 http://other/x;"}
         * or {@code "return 429;"}.
         *
         * <p>Mind nginx's phase order: Bearer and header checks run first, but {@code auth_basic}
         * runs after the rewrite phase, so a {@code return} in a location answers without Basic
         * auth. It may not be {@code "/"}, which the proxy to the upstream takes.
         */
        public Builder location(String path, String directives) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(directives, "directives");
            String p = path.strip();
            if (p.isEmpty() || p.equals("/") || p.contains("{") || p.contains(";") || p.contains("\n")
                    || p.contains(NginxConfig.PROBE_PATH)) {
                throw new IllegalArgumentException("not a location path this launcher can add: " + path);
            }
            locations.add(new NginxConfig.Location(p, directives));
            return this;
        }

        /**
         * Loads a dynamic module ({@code load_module}), such as {@link #module(String)} finds:
         * {@code .loadModule(Nginx.module("ngx_http_js_module.so").orElseThrow())}.
         */
        public Builder loadModule(Path moduleFile) {
            this.modules.add(readable(moduleFile, "moduleFile"));
            return this;
        }

        /** Raw directives at the {@code http} level, such as {@code js_import}; added to any set before. */
        public Builder httpDirectives(String directives) {
            Objects.requireNonNull(directives, "directives");
            httpDirectives.append(directives.strip()).append('\n');
            return this;
        }

        /**
         * A file written beside nginx.conf at start (readable by the workers), which directives name by its bare
         * {@code name}: nginx reads relative paths against the configuration's directory. Not for secrets (put
         * those in directives: the configuration itself is readable by the master only).
         */
        public Builder file(String name, String content) {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || name.equals("nginx.conf")) {
                throw new IllegalArgumentException("not a plain file name this launcher can write: " + name);
            }
            files.put(name, Objects.requireNonNull(content, "content"));
            return this;
        }

        /**
         * Serves HTTPS with this certificate (chain) and private key, both PEM files, which are
         * copied into nginx's directory at start. {@link Nginx#uri()} is then {@code https://...}.
         */
        public Builder tls(Path serverCertificatePem, Path serverKeyPem) {
            this.serverCertificate = readable(serverCertificatePem, "serverCertificatePem");
            this.serverKey = readable(serverKeyPem, "serverKeyPem");
            return this;
        }

        /**
         * Mutual TLS: every request must come with a client certificate that chains to a CA in
         * {@code caPem} ({@code ssl_verify_client on}); needs {@link #tls}. nginx itself answers
         * 400 "No required SSL certificate was sent" when there is none, and 400 "The SSL
         * certificate error" for one it does not accept (another CA, expired), as in production.
         */
        public Builder requireClientCertificate(Path caPem) {
            this.clientCa = readable(caPem, "caPem");
            return this;
        }

        private static Path readable(Path file, String what) {
            Objects.requireNonNull(file, what);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException(what + " is not a readable file: " + file);
            }
            return file.toAbsolutePath();
        }

        /** How long {@link #start()} and each reload wait for nginx to answer; 10 s by default. */
        public Builder startTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the start timeout must be positive");
            }
            this.startTimeout = timeout;
            return this;
        }

        /** Where to create the temporary directory; {@code java.io.tmpdir} by default. */
        public Builder workDirectoryIn(Path parent) {
            this.workDirectoryParent = Objects.requireNonNull(parent, "parent");
            return this;
        }

        /**
         * Writes the configuration, starts nginx and waits until it answers on its port.
         *
         * @throws IllegalStateException if nginx is not installed ({@value Nginx#NOT_INSTALLED}),
         *     exits early, or does not answer within the start timeout; nothing is left behind
         */
        public Nginx start() {
            Path binary = binary();
            boolean root = runningAsRoot();
            String[] worker = root ? workerAccount() : null;
            Path directory;
            try {
                directory = workDirectoryParent == null
                        ? Files.createTempDirectory("testkit-nginx-")
                        : Files.createTempDirectory(workDirectoryParent, "testkit-nginx-");
                directory = directory.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a directory for nginx", e);
            }
            Nginx nginx = null;
            try {
                if (directory.toString().contains("$")) {
                    throw new IllegalStateException("nginx would read '$' in " + directory + " as a variable");
                }
                if (root) {
                    requireTraversable(directory);
                    Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
                }
                if (clientCa != null && serverCertificate == null) {
                    throw new IllegalStateException("requireClientCertificate needs tls(serverCertificatePem, serverKeyPem)");
                }
                NginxConfig.Tls tls = serverCertificate == null ? null : new NginxConfig.Tls(
                        copyPrivate(serverCertificate, directory.resolve("server-cert.pem")),
                        copyPrivate(serverKey, directory.resolve("server-key.pem")),
                        clientCa == null ? null : copyPrivate(clientCa, directory.resolve("client-ca.pem")));
                NginxConfig.Settings settings = new NginxConfig.Settings(directory, port, upstream,
                        clientMaxBodySize, proxyBuffering, requestBuffering, realm, List.copyOf(locations),
                        root ? worker[0] : null, root ? worker[1] : null, tls, port, List.copyOf(modules),
                        httpDirectives.toString());
                for (Map.Entry<String, String> f : files.entrySet()) {
                    Path file = directory.resolve(f.getKey());
                    Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                }
                nginx = new Nginx(binary, directory, settings, rules, startTimeout);
                nginx.launch(port != 0);
                return nginx;
            } catch (IOException e) {
                deleteTree(directory);
                throw new UncheckedIOException("cannot prepare " + directory, e);
            } catch (RuntimeException e) {
                if (nginx != null) {
                    nginx.close();
                } else {
                    deleteTree(directory);
                }
                throw e;
            }
        }
    }
}
