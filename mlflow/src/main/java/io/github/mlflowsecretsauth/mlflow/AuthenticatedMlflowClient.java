package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactClient;
import io.github.mlflowsecretsauth.mlflow.artifacts.ArtifactStores;
import io.github.mlflowsecretsauth.mlflow.internal.EmbeddedProxy;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import org.mlflow.tracking.MlflowClient;

/**
 * The official {@link MlflowClient}, pointed at an embedded loopback {@link AuthProxy} with the proxy's per-run client
 * token as its host credentials (so no other local process can use the proxy, and the real credential never reaches
 * the client). Closing it closes the proxy (after in-flight calls finish) and, if it owns one, the engine.
 * Thread-safety is that of {@link MlflowClient}.
 */
public final class AuthenticatedMlflowClient extends MlflowClient {
    private static final long serialVersionUID = 1L;

    private final transient EmbeddedProxy proxy;
    private final transient SecretsAuth ownedEngine;
    private final transient SecretsAuth engine;

    /**
     * A client on {@code proxy}; closing it closes {@code engine} too when {@code ownsEngine}. The official client never
     * calls {@code refresh()}; the proxy itself refreshes the credential when MLflow rejects it.
     */
    public AuthenticatedMlflowClient(EmbeddedProxy proxy, SecretsAuth engine, boolean ownsEngine) {
        super(proxy.hostCreds(() -> { }));
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
        return ArtifactClient.forRun(runId, ArtifactStores.create(proxy.upstream(), proxy.uri(), proxy.authorization(), settings),
                null);
    }

    /** The embedded proxy, e.g. for its metrics. */
    public AuthProxy proxy() {
        return proxy.proxy();
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
