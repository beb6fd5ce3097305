package io.github.mlflowsecretsauth.mlflow.internal;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.proxy.ClientToken;

import java.net.URI;

/**
 * The library's embedded {@link AuthProxy}: a free loopback port, and a fresh random client token for this run, so
 * only the code that started it can use it. Every other local process, of any user, gets a 401 and no credential.
 * Everything the library sends to the proxy (the official client, probes, artifact calls) carries
 * {@link #authorization()}; the proxy never forwards it. {@link #toString()} never shows the token. Thread-safe.
 */
public final class EmbeddedProxy implements AutoCloseable {
    private final AuthProxy proxy;
    private final String token;

    private EmbeddedProxy(AuthProxy proxy, String token) {
        this.proxy = proxy;
        this.token = token;
    }

    /** Starts a proxy in front of {@code trackingUri}; throws the proxy's configuration error (allowlist...). */
    public static EmbeddedProxy start(SecretsAuth engine, URI trackingUri) {
        String token = ClientToken.random();
        return new EmbeddedProxy(AuthProxy.builder(engine, trackingUri).listen("127.0.0.1", 0).clientToken(token).start(), token);
    }

    public AuthProxy proxy() {
        return proxy;
    }

    /** The proxy's loopback base URI. */
    public URI uri() {
        return proxy.uri();
    }

    /** The real MLflow server behind the proxy. */
    public URI upstream() {
        return proxy.upstream();
    }

    /** The {@code Authorization} value that requests to the proxy carry. */
    public String authorization() {
        return ClientToken.authorization(token);
    }

    /**
     * Host credentials for the official client: the proxy's URI and its client token, which the client sends as
     * {@code Authorization: Bearer}. {@code onRefresh} runs when the client (or a user) calls {@code refresh()}.
     */
    public ProxyHostCreds hostCreds(Runnable onRefresh) {
        return new ProxyHostCreds(uri().toString(), token, onRefresh);
    }

    @Override
    public void close() {
        proxy.close();
    }

    @Override
    public String toString() {
        return "EmbeddedProxy{" + proxy + "}";
    }
}
