package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactClient;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactStores;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import org.mlflow.tracking.MlflowClient;

/**
 * The official {@link MlflowClient}, pointed at an embedded loopback {@link AuthProxy}. Closing it
 * closes the proxy (after in-flight calls finish) and, if it owns one, the engine. Thread-safety is
 * that of {@link MlflowClient}.
 */
public final class AuthenticatedMlflowClient extends MlflowClient {
    private static final long serialVersionUID = 1L;

    private final transient AuthProxy proxy;
    private final transient SecretsAuth ownedEngine;
    private final transient SecretsAuth engine;

    public AuthenticatedMlflowClient(AuthProxy proxy, SecretsAuth ownedEngine) {
        this(proxy, ownedEngine, ownedEngine != null);
    }

    /** A client on {@code proxy}; closing it closes {@code engine} too when {@code ownsEngine}. */
    public AuthenticatedMlflowClient(AuthProxy proxy, SecretsAuth engine, boolean ownsEngine) {
        super(proxy.uri().toString());
        this.proxy = proxy;
        this.engine = engine;
        this.ownedEngine = ownsEngine ? engine : null;
    }

    /**
     * Native artifact logging for {@code runId} through this client's proxy (no Python). The artifact client
     * borrows this client's proxy: close it before this client; closing it leaves this client open.
     */
    public ArtifactClient artifacts(String runId) {
        Settings settings = engine != null ? engine.settings() : Settings.fromEnvironment();
        return ArtifactClient.forRun(runId, ArtifactStores.create(proxy.upstream(), proxy.uri(), settings), null);
    }

    /** The embedded proxy, e.g. for its metrics. */
    public AuthProxy proxy() {
        return proxy;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            proxy.close();
            if (ownedEngine != null) {
                ownedEngine.close();
            }
        }
    }

    @Override
    public String toString() {
        return "AuthenticatedMlflowClient{" + proxy + "}";
    }
}
