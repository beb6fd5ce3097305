package io.github.mlflowsecretsauth.tracking.memory;

import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;

import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local MLflow tracking server that speaks enough of MLflow's REST API 2.0 for the official
 * MLflow Java client and plain HTTP clients to work against it unchanged: experiments (create,
 * get, get-by-name, search), runs (create, update, get, search, log-metric, log-parameter,
 * log-batch, set-tag, delete-tag), metric history, artifact listing, and the
 * {@code mlflow-artifacts} upload, download and list endpoints, with uploads and downloads
 * streamed through the file system, and MLflow's multipart upload ({@code mpu/create|complete|abort})
 * with presigned-style part URLs on a storage endpoint of this server that refuses an MLflow credential. Requests may give int64 fields as JSON numbers or strings;
 * responses give them as numbers, as MLflow's Python server does. Errors look like MLflow's:
 * {@code {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}}.
 *
 * <p>It is the in-memory tracking store of the optional and mock modes ({@code EmbeddedTracking}, {@code exec}) and
 * the MLflow server of the testkit and the tests. It keeps everything in memory and in a temporary artifact folder.
 *
 * <p>For tests it records every request ({@link #calls()}), exposes the stored runs
 * ({@link #run(String)}), and can answer the next requests with canned responses
 * ({@link #respondNext}, {@link #redirectNext}).
 *
 * <p>Start one with {@code MlflowServer.builder().start()}; close it to stop listening. It listens
 * on an ephemeral port of 127.0.0.1 by default.
 *
 * <p>Thread-safe: serves concurrent requests, and every method may be called from any thread.
 */
public final class MlflowServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MlflowServer.class);

    private final Server server;
    private final URI uri;
    private final TrackingStore store;
    private final ArtifactStore artifacts;
    private final CallLog calls;
    private final FaultPlan faults;
    private final MultipartUploads multipart;
    private final ArtifactEndpoints artifactEndpoints;

    private MlflowServer(Server server, URI uri, TrackingStore store, ArtifactStore artifacts, CallLog calls,
                         FaultPlan faults, MultipartUploads multipart, ArtifactEndpoints artifactEndpoints) {
        this.multipart = multipart;
        this.artifactEndpoints = artifactEndpoints;
        this.server = server;
        this.uri = uri;
        this.store = store;
        this.artifacts = artifacts;
        this.calls = calls;
        this.faults = faults;
    }

    /** A builder with the defaults described on the class. */
    public static Builder builder() {
        return new Builder();
    }

    /** The tracking URI, such as {@code http://127.0.0.1:5000}; what MLFLOW_TRACKING_URI holds. */
    public URI uri() {
        return uri;
    }

    /** The port the server listens on. */
    public int port() {
        return uri.getPort();
    }

    /** The directory behind {@code mlflow-artifacts:/}: artifact path {@code a/b} is {@code artifactRoot()/a/b}. */
    public Path artifactRoot() {
        return artifacts.root();
    }

    /** How many requests arrived since start or {@link #resetCounts()}. */
    public int requestCount() {
        return calls.count();
    }

    /** How many requests had a path ending with {@code pathSuffix}, such as {@code "runs/log-metric"}. */
    public int requestCount(String pathSuffix) {
        return calls.count(Objects.requireNonNull(pathSuffix));
    }

    /** The requests received since start or {@link #resetCounts()}, oldest first. */
    public List<RecordedCall> calls() {
        return calls.snapshot();
    }

    /** Forgets the recorded requests (not the stored experiments and runs). */
    public void resetCounts() {
        calls.clear();
    }

    /** A copy of a run's stored state, or empty if there is no such run. */
    public Optional<RunSnapshot> run(String runId) {
        return store.findRun(runId);
    }

    /** Copies of all runs of the given experiments, oldest first. */
    public List<RunSnapshot> runs(String... experimentIds) {
        return store.runs(List.of(experimentIds));
    }

    /** A copy of an experiment, found by its name. */
    public Optional<ExperimentSnapshot> experimentByName(String name) {
        return store.experimentByName(name);
    }

    /**
     * Answers the next {@code count} requests (whatever their path) with {@code status},
     * {@code body} ({@code null} or {@code ""} for none; labelled {@code application/json} unless
     * {@code headers} give a Content-Type) and {@code headers}, such as 429 with Retry-After. Such
     * requests are recorded but not served. Queued after earlier canned responses.
     */
    public void respondNext(int count, int status, String body, Map<String, String> headers) {
        faults.add(count, new FaultPlan.Canned(status, body, headers));
    }

    /**
     * Answers the next {@code count} requests with a redirect: {@code status} (such as 302 or 307)
     * and {@code Location: location}, sent exactly as given. Queued after earlier canned responses.
     */
    public void redirectNext(int count, String location, int status) {
        if (status < 300 || status > 399) {
            throw new IllegalArgumentException("not a redirect status: " + status);
        }
        faults.add(count, new FaultPlan.Canned(status, "", Map.of("Location", Objects.requireNonNull(location))));
    }

    /**
     * Turns MLflow's multipart upload endpoints ({@code mlflow-artifacts/mpu/*}) on (the default, as an
     * S3-backed server offers them) or off: off, they answer 501 as MLflow does for a store without multipart.
     */
    public void multipartUploads(boolean enabled) {
        multipart.enabled(enabled);
    }

    /** Counters of the multipart endpoints and of part URLs that refused a leaked {@code Authorization} header. */
    public MultipartStats multipartStats() {
        return multipart.stats();
    }

    /**
     * The next artifact download announces the file's full {@code Content-Length}, sends only its first {@code bytes}
     * bytes and then drops the connection, as a connection lost mid-transfer does.
     */
    public void truncateNextDownload(long bytes) {
        artifactEndpoints.truncateNextDownload(bytes);
    }

    /** The most part uploads the storage endpoint was receiving at the same time, since start. */
    public int maxConcurrentPartUploads() {
        return multipart.maxPartsInFlight();
    }

    /** The next {@code count} part uploads (to part URLs) fail with HTTP 500, after their body is read. */
    public void failNextParts(int count) {
        multipart.failNextParts(count);
    }

    /** Drops every canned response not yet given. */
    public void clearFaults() {
        faults.clear();
    }

    /** Stops the server and deletes the artifact root if the server created it; safe to call twice. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("The in-memory MLflow tracking store did not stop cleanly", e);
        }
        try {
            multipart.close();
            artifacts.close();
        } catch (UncheckedIOException e) {
            LOG.warn("Could not delete the in-memory MLflow tracking store's artifact files", e);
        }
    }

    @Override
    public String toString() {
        return "MlflowServer[" + uri + "]";
    }

    /**
     * Configures and starts an {@link MlflowServer}.
     *
     * <p>Not thread-safe: configure it from one thread.
     */
    public static final class Builder {
        private int port;
        private Path artifactRoot;
        private Clock clock = Clock.systemUTC();
        private RequestGate gate;

        private Builder() {}

        /** A check in front of every endpoint, e.g. a SigV4 verifier (API Gateway style). */
        public Builder gate(RequestGate gate) {
            this.gate = Objects.requireNonNull(gate);
            return this;
        }

        /** Port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = LoopbackJetty.checkPort(port);
            return this;
        }

        /** Where artifacts are stored (created if missing, kept on close); default a temporary directory. */
        public Builder artifactRoot(Path artifactRoot) {
            this.artifactRoot = Objects.requireNonNull(artifactRoot);
            return this;
        }

        /** The clock for creation times and default run start times (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * Starts the server; it is listening when this returns.
         *
         * @throws UncheckedIOException if the artifact root cannot be made or the port bound
         */
        public MlflowServer start() {
            Server server = LoopbackJetty.newServer("mlflow-memory");
            ArtifactStore artifacts = null;
            try {
                artifacts = artifactRoot == null
                        ? new ArtifactStore(Files.createTempDirectory("mlflow-memory-artifacts"), true)
                        : new ArtifactStore(artifactRoot, false);
                TrackingStore store = new TrackingStore(clock);
                CallLog calls = new CallLog();
                FaultPlan faults = new FaultPlan();
                // Header values arrive byte for byte, so SigV4 signatures verify.
                ServerConnector connector = LoopbackJetty.http(server, LoopbackJetty.httpConfiguration(true), port);
                MultipartUploads multipart = new MultipartUploads(artifacts);
                MlflowHandler handler = new MlflowHandler(store, artifacts, multipart, calls, faults, gate);
                server.setHandler(handler);
                server.start();
                URI uri = LoopbackJetty.uri("http", connector);
                multipart.storageBase(uri);
                LOG.info("In-memory MLflow tracking store listening on {}, artifacts in {}", uri, artifacts.root());
                return new MlflowServer(server, uri, store, artifacts, calls, faults, multipart, handler.artifacts());
            } catch (Exception e) {
                throw LoopbackJetty.failed(server, "the in-memory MLflow tracking store", e, artifacts);
            }
        }
    }
}
