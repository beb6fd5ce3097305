package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.SecretsAuth;
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

    public AuthenticatedMlflowClient(AuthProxy proxy, SecretsAuth ownedEngine) {
        super(proxy.uri().toString());
        this.proxy = proxy;
        this.ownedEngine = ownedEngine;
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
