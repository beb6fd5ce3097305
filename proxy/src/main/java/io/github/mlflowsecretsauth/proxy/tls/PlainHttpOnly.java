package io.github.mlflowsecretsauth.proxy.tls;

import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import java.net.InetSocketAddress;

/**
 * The TLS factory of a client whose upstream is plain http. Jetty's client always starts one, and a default factory
 * loads the JDK's CA certificates when it starts: about 17 MiB of resident memory, 800 classes and 200 ms of start-up
 * (docs/PERFORMANCE.md) for a proxy that never makes a TLS connection. This one loads nothing and refuses to make one.
 */
final class PlainHttpOnly extends SslContextFactory.Client {

    @Override
    protected void doStart() {
        // nothing to load: no TLS connection is ever made
    }

    @Override
    protected void doStop() {
        // nothing was loaded
    }

    @Override
    public SSLContext getSslContext() {
        throw refused();
    }

    @Override
    public SSLEngine newSSLEngine() {
        throw refused();
    }

    @Override
    public SSLEngine newSSLEngine(String host, int port) {
        throw refused();
    }

    @Override
    public SSLEngine newSSLEngine(InetSocketAddress address) {
        throw refused();
    }

    private static IllegalStateException refused() {
        return new IllegalStateException("the MLflow upstream is http: this proxy makes no TLS connection");
    }
}
