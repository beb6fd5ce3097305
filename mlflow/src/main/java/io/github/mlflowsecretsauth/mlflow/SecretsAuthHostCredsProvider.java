package io.github.mlflowsecretsauth.mlflow;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.mlflow.internal.EmbeddedProxy;
import org.mlflow.tracking.creds.MlflowHostCreds;
import org.mlflow.tracking.creds.MlflowHostCredsProvider;

import java.net.URI;

/**
 * The host credentials behind {@code MlflowSecretsAuth.hostCredsProvider()}: for clients built with
 * {@code new MlflowClient(provider)}. They name an embedded loopback proxy and its per-run client token, never the
 * real credential: the official client follows redirects to any host with its {@code Authorization} header, so the
 * credential must not be in its hands. The proxy adds it, for the allowlisted server only, refreshes it on 401/403,
 * never follows a redirect, and refuses to hand this client a redirect to another server. So any header, mode and
 * signature the engine supports works here too. {@link #refresh()} drops the cached credential. Close it to stop the
 * proxy (and the engine, if it owns it). Thread-safe.
 */
public final class SecretsAuthHostCredsProvider implements MlflowHostCredsProvider, AutoCloseable {
    private final EmbeddedProxy proxy;
    private final SecretsAuth ownedEngine;
    private final MlflowHostCredsProvider creds;

    private SecretsAuthHostCredsProvider(EmbeddedProxy proxy, SecretsAuth engine, boolean ownsEngine) {
        this.proxy = proxy;
        this.ownedEngine = ownsEngine ? engine : null;
        this.creds = proxy.hostCreds(engine::clearCache);
    }

    /**
     * Starts the proxy in front of {@code trackingUri} with credentials from {@code engine}; closing the provider closes
     * {@code engine} too when {@code ownsEngine}. Throws the proxy's one-line configuration error (allowlist, TLS files).
     */
    public static SecretsAuthHostCredsProvider start(SecretsAuth engine, URI trackingUri, boolean ownsEngine) {
        return new SecretsAuthHostCredsProvider(EmbeddedProxy.start(engine, trackingUri), engine, ownsEngine);
    }

    @Override
    public MlflowHostCreds getHostCreds() {
        return creds.getHostCreds();
    }

    @Override
    public void refresh() {
        creds.refresh();
    }

    /** The real MLflow server behind the proxy. */
    public URI trackingUri() {
        return proxy.upstream();
    }

    @Override
    public void close() {
        proxy.close();
        if (ownedEngine != null) {
            ownedEngine.close();
        }
    }

    @Override
    public String toString() {
        return "SecretsAuthHostCredsProvider{" + proxy.uri() + " -> " + proxy.upstream().getRawAuthority() + "}";
    }
}
