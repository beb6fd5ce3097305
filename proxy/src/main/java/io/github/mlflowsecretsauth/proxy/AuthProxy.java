package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.proxy.tls.UpstreamTls;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The local auth proxy: listens on loopback, forwards every request to one MLflow server (the
 * upstream) with the current credential on it. Built on Jetty 12's server and {@code ProxyHandler}.
 *
 * <p>Safe by default: loopback only; a non-loopback listener needs {@code allowRemote} and a client
 * token. The upstream must be on the host allowlist or the proxy refuses to start. Closing it drains
 * in-flight requests (up to the stop timeout), then stops. Thread-safe.
 */
public final class AuthProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuthProxy.class);

    private final Server server;
    private final ServerConnector connector;
    private final Upstream upstream;
    private final ProxyMetrics metrics;
    private final ProxyOptions options;

    private AuthProxy(SecretsAuth auth, Upstream upstream, ProxyOptions options, UpstreamTls tls, List<String> hostNames) {
        this.upstream = upstream;
        this.options = options;
        this.metrics = new ProxyMetrics();
        QueuedThreadPool threads = new QueuedThreadPool(options.threads(), Math.min(4, options.threads()));
        threads.setName("mlflow-secrets-auth-proxy");
        threads.setDaemon(true);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setIdleTimeout(options.idleTimeout().toMillis());
        http.setMinRequestDataRate(1024); // a body trickling slower than 1 KiB/s is failed (408), so it cannot pin a thread
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(options.listenHost());
        connector.setPort(options.listenPort());
        connector.setIdleTimeout(options.idleTimeout().toMillis());
        server.addConnector(connector);
        CredentialProxyHandler proxy = new CredentialProxyHandler(auth, upstream, options, metrics, tls);
        AdminEndpoints admin = new AdminEndpoints(auth, upstream, metrics);
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(new GuardHandler(ownHosts(options.listenHost(), hostNames), options.clientToken(), admin, metrics, proxy));
        server.setHandler(graceful);
        server.setErrorHandler(new JsonErrors());
        server.setStopTimeout(options.stopTimeout().toMillis());
        server.setStopAtShutdown(false);
    }

    /** A builder for a proxy in front of {@code upstream} using {@code auth} for credentials. */
    public static Builder builder(SecretsAuth auth, URI upstream) {
        return new Builder(auth, upstream);
    }

    private static Set<String> ownHosts(String listenHost, List<String> hostNames) {
        Set<String> hosts = new HashSet<>(Set.of("127.0.0.1", "localhost", "::1", "[::1]", "0:0:0:0:0:0:0:1"));
        hosts.add(listenHost.toLowerCase(Locale.ROOT));
        hosts.addAll(hostNames);
        if (!isLoopback(listenHost)) {
            try {
                InetAddress local = InetAddress.getLocalHost();
                hosts.add(local.getHostName().toLowerCase(Locale.ROOT));
                hosts.add(local.getHostAddress());
            } catch (UnknownHostException ignored) {
                // only the listen host and loopback names are accepted then
            }
        }
        return Set.copyOf(hosts);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private AuthProxy start() {
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new ConfigurationException("the proxy cannot listen on " + options.listenHost() + ":" + options.listenPort()
                    + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "): pick another --listen port");
        }
        LOG.info("mlflow-secrets-auth proxy listening on {} and forwarding to {}", uri(), upstream);
        return this;
    }

    /** The proxy's own base URL, e.g. {@code http://127.0.0.1:5001}. */
    public URI uri() {
        String host = options.listenHost().contains(":") ? "[" + options.listenHost() + "]" : options.listenHost();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort());
    }

    public int port() {
        return connector.getLocalPort();
    }

    public URI upstream() {
        return upstream.uri();
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    /** Blocks until the proxy stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops accepting, lets in-flight requests finish (up to the stop timeout), then stops. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the proxy: {}", e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "AuthProxy{" + uri() + " -> " + upstream + "}";
    }

    /** Builds and starts an {@link AuthProxy}. Not thread-safe. */
    public static final class Builder {
        private final SecretsAuth auth;
        private final URI upstream;
        private String listenHost = "127.0.0.1";
        private int listenPort;
        private boolean allowRemote;
        private String clientToken;
        private long maxReplayBytes = 1 << 20;
        private int maxThrottleRetries = 5;
        private Duration throttleBudget = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(120);
        private Duration stopTimeout = Duration.ofSeconds(30);
        private int maxUpstreamConnections = 64;
        private Duration upstreamTimeout; // from MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC unless set here
        private Long replayBudgetBytes; // from MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB unless set here
        private Integer threads; // from MLFLOW_SECRETS_PROXY_THREADS unless set here
        private List<String> hostNames; // from MLFLOW_SECRETS_PROXY_HOST_NAMES unless set here

        private Builder(SecretsAuth auth, URI upstream) {
            this.auth = auth;
            this.upstream = upstream;
        }

        public Builder listen(String host, int port) {
            this.listenHost = host;
            this.listenPort = port;
            return this;
        }

        /** Allows a non-loopback listener; a client token is then required. */
        public Builder allowRemote(boolean allowRemote) {
            this.allowRemote = allowRemote;
            return this;
        }

        public Builder clientToken(String token) {
            this.clientToken = token;
            return this;
        }

        public Builder maxReplayBytes(long bytes) {
            this.maxReplayBytes = bytes;
            return this;
        }

        public Builder throttleRetries(int maxRetries, Duration budget) {
            this.maxThrottleRetries = maxRetries;
            this.throttleBudget = budget;
            return this;
        }

        public Builder idleTimeout(Duration idle) {
            this.idleTimeout = idle;
            return this;
        }

        /** Overrides {@value ConfigKeys#PROXY_UPSTREAM_TIMEOUT_SEC}. */
        public Builder upstreamTimeout(Duration timeout) {
            this.upstreamTimeout = timeout;
            return this;
        }

        /**
         * Overrides {@value ConfigKeys#PROXY_HOST_NAMES}: further names clients may reach the proxy by (the {@code Host}
         * they send, e.g. a Kubernetes Service's DNS names); requests for any other host are still refused (421).
         */
        public Builder hostNames(List<String> names) {
            this.hostNames = names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
            return this;
        }

        /** Overrides {@value ConfigKeys#PROXY_REPLAY_BUDGET_MB}, in bytes. */
        public Builder replayBudgetBytes(long bytes) {
            this.replayBudgetBytes = bytes;
            return this;
        }

        /** Overrides {@value ConfigKeys#PROXY_THREADS}: the one pool's maximum. */
        public Builder threads(int max) {
            this.threads = max;
            return this;
        }

        public Builder stopTimeout(Duration stop) {
            this.stopTimeout = stop;
            return this;
        }

        /** Validates, binds and starts; throws a {@link ConfigurationException} naming what to fix. */
        public AuthProxy start() {
            Upstream up = new Upstream(upstream);
            if (!auth.config().allowlist().allows(up.uri())) {
                throw new ConfigurationException("the upstream " + up.uri().getRawAuthority() + " is not in "
                        + ConfigKeys.ALLOWED_HOSTS + " (" + String.join(",", auth.config().allowlist().patterns())
                        + "): the proxy refuses to start; add the host to the allowlist");
            }
            if (!isLoopback(listenHost)) {
                if (!allowRemote) {
                    throw new ConfigurationException("--listen " + listenHost + " is not a loopback address: pass --allow-remote "
                            + "(and a client token) to listen on the network");
                }
                if (clientToken == null || clientToken.length() < 16) {
                    throw new ConfigurationException("a non-loopback listener needs a client token of at least 16 characters "
                            + "(MLFLOW_SECRETS_PROXY_CLIENT_TOKEN or --client-token-file)");
                }
            }
            if (maxReplayBytes < 0 || maxThrottleRetries < 0 || (threads != null && threads < ProxyLimits.MIN_THREADS)) {
                throw new IllegalArgumentException("maxReplayBytes and maxThrottleRetries must not be negative, threads not below "
                        + ProxyLimits.MIN_THREADS);
            }
            ProxyOptions o = new ProxyOptions(listenHost, listenPort, allowRemote, Optional.ofNullable(clientToken),
                    maxReplayBytes, maxThrottleRetries, throttleBudget, connectTimeout, idleTimeout, stopTimeout,
                    maxUpstreamConnections, upstreamTimeout != null ? upstreamTimeout : ProxyLimits.upstreamTimeout(auth.settings()),
                    replayBudgetBytes != null ? replayBudgetBytes : ProxyLimits.replayBudgetBytes(auth.settings()),
                    threads != null ? threads : ProxyLimits.threads(auth.settings()));
            // TLS towards MLflow: every file is loaded and checked now, so a bad one fails the start, not a request.
            UpstreamTls tls = UpstreamTls.from(auth.settings(), up.uri(), Clock.systemUTC());
            List<String> names = hostNames != null ? hostNames : ProxyLimits.hostNames(auth.settings());
            return new AuthProxy(auth, up, o, tls, names).start();
        }
    }
}
