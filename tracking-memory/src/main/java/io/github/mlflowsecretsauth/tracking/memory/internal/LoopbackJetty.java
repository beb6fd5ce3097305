package io.github.mlflowsecretsauth.tracking.memory.internal;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The Jetty start-up every in-process server shares (the in-memory tracking store and the testkit's fakes): daemon threads, loopback-only connectors, no
 * {@code Server} header, and a start that cleans up after itself. Not a public API.
 */
public final class LoopbackJetty {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackJetty.class);
    private LoopbackJetty() {
    }

    /** A server whose daemon threads are named {@code name}, so a forgotten server never keeps a JVM alive. */
    public static Server newServer(String name) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name);
        threads.setDaemon(true);
        return new Server(threads);
    }

    /**
     * An HTTP configuration that sends no {@code Server} header. With {@code exactHeaderValues}, header values
     * arrive byte for byte: Jetty's header cache otherwise hands back its own spelling of a known value
     * ({@code charset=utf-8} becomes {@code charset=UTF-8}), which breaks signature checks.
     */
    public static HttpConfiguration httpConfiguration(boolean exactHeaderValues) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setHeaderCacheCaseSensitive(exactHeaderValues);
        return http;
    }

    /** A plain HTTP connector on 127.0.0.1, port {@code port} (0: any free one), added to {@code server}. */
    public static ServerConnector http(Server server, HttpConfiguration config, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        return bind(server, connector, port);
    }

    /**
     * A TLS connector on 127.0.0.1 added to {@code server}, on a copy of {@code config} with the secure request
     * customizer; the SNI host check is off, since tests connect to an IP address.
     */
    public static ServerConnector https(Server server, HttpConfiguration config, SslContextFactory.Server tls, int port) {
        HttpConfiguration https = new HttpConfiguration(config);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, tls, new HttpConnectionFactory(https));
        return bind(server, connector, port);
    }

    /** {@code port} if it is 0 (any free port) to 65535; a builder's {@code port(int)} checks with this. */
    public static int checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return port;
    }

    private static ServerConnector bind(Server server, ServerConnector connector, int port) {
        connector.setHost("127.0.0.1");
        connector.setPort(checkPort(port));
        server.addConnector(connector);
        return connector;
    }

    /** The base URI of a started connector, e.g. {@code http://127.0.0.1:41234}. */
    public static URI uri(String scheme, ServerConnector connector) {
        return URI.create(scheme + "://127.0.0.1:" + connector.getLocalPort());
    }

    /**
     * Starts {@code server}. If that fails, the server is stopped, {@code alsoClose} are closed, and the
     * failure is thrown as an {@link UncheckedIOException} naming {@code what}.
     */
    public static void start(Server server, String what, AutoCloseable... alsoClose) {
        try {
            server.start();
        } catch (Exception e) {
            throw failed(server, what, e, alsoClose);
        }
    }

    /** Stops {@code server} and closes {@code alsoClose} after a failed set-up; returns the exception to throw. */
    public static UncheckedIOException failed(Server server, String what, Exception e, AutoCloseable... alsoClose) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // already failing
        }
        for (AutoCloseable c : alsoClose) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
        }
        if (e instanceof UncheckedIOException u) {
            return u;
        }
        return new UncheckedIOException(e instanceof IOException io ? io : new IOException("could not start " + what + ": " + e, e));
    }

    /**
     * Stops {@code server}, then closes {@code alsoClose} (null entries skipped), each even if an earlier one failed;
     * a failure is logged as a warning naming {@code what}, never thrown (a test's clean-up must not hide its result).
     */
    public static void stop(Server server, String what, AutoCloseable... alsoClose) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("{} did not stop cleanly", what, e);
        }
        for (AutoCloseable c : alsoClose) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("{}: could not clean up {}", what, c, e);
                }
            }
        }
    }
}
