package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import org.mlflow.tracking.MlflowClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The in-memory tracking store of the optional and mock modes (the tracking-memory module), started
 * in-process on loopback, so MLflow calls succeed and the code under test runs unchanged. Runs logged
 * here are lost when the client closes; the warning says so, once per process.
 */
public final class EmbeddedTracking {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedTracking.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private EmbeddedTracking() {
    }

    /** A client on a fresh embedded store; closing it stops the store. {@code why} explains the mode. */
    public static MlflowClient client(String why) {
        MlflowServer server = MlflowServer.builder().start();
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("{}: runs are recorded in an in-memory tracking store at {} and are NOT sent to MLflow", why, server.uri());
        }
        return new EmbeddedMlflowClient(server);
    }

    /** An {@link MlflowClient} on an embedded store, which it stops on close. */
    public static final class EmbeddedMlflowClient extends MlflowClient {
        private static final long serialVersionUID = 1L;
        private final transient MlflowServer server;

        EmbeddedMlflowClient(MlflowServer server) {
            super(server.uri().toString());
            this.server = server;
        }

        /** The embedded store, e.g. to inspect what a test logged. */
        public MlflowServer store() {
            return server;
        }

        @Override
        public void close() {
            try {
                super.close();
            } finally {
                server.close();
            }
        }
    }
}
