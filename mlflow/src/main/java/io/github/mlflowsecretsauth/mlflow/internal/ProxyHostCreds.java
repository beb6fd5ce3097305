package io.github.mlflowsecretsauth.mlflow.internal;

import org.mlflow.tracking.creds.MlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

import java.util.Objects;

/**
 * What the official MLflow client is given: the embedded proxy's loopback URI and its per-run client token, never
 * the real credential, which stays in the proxy (so a redirect the client follows cannot carry it anywhere).
 * {@link #toString()} shows the host only. Immutable and thread-safe.
 */
public final class ProxyHostCreds implements MlflowHostCreds, MlflowHostCredsProvider {
    private final String host;
    private final String token;
    private final Runnable onRefresh;

    ProxyHostCreds(String host, String token, Runnable onRefresh) {
        this.host = Objects.requireNonNull(host);
        this.token = Objects.requireNonNull(token);
        this.onRefresh = Objects.requireNonNull(onRefresh);
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public String getUsername() {
        return null;
    }

    @Override
    public String getPassword() {
        return null;
    }

    @Override
    public String getToken() {
        return token;
    }

    @Override
    public boolean shouldIgnoreTlsVerification() {
        return false; // the proxy is plain http on loopback; TLS to MLflow is the proxy's, with MLFLOW_TRACKING_* settings
    }

    @Override
    public MlflowHostCreds getHostCreds() {
        return this;
    }

    @Override
    public void refresh() {
        onRefresh.run();
    }

    @Override
    public String toString() {
        return "ProxyHostCreds{" + host + "}";
    }
}
