package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A tuning experiment, not a product: the project's own proxy handler ({@link CredentialProxyHandler},
 * {@link GuardHandler}) in a server assembled like {@link AuthProxy}'s, with the knobs the proposals in
 * docs/PERFORMANCE.md would change. It lives in the proxy's package only to reach those package-private
 * classes; the proxy's main code is unchanged. Runs until killed.
 *
 * <p>Usage: {@code ProxyTuningExperiment UPSTREAM_URL LISTEN_PORT TOKEN SERVER_MAX_THREADS CLIENT_THREADS|shared
 * SEND_DATE}. {@code 200 200 true} is what {@link AuthProxy} does today (two pools of up to 200 threads:
 * the server's and the one Jetty's {@code ProxyHandler} creates for its client).
 */
public final class ProxyTuningExperiment {
    public static void main(String[] args) throws Exception {
        URI upstreamUri = URI.create(args[0]);
        int port = Integer.parseInt(args[1]);
        String token = args[2];
        int serverThreads = Integer.parseInt(args[3]);
        String clientThreads = args[4];
        boolean sendDate = Boolean.parseBoolean(args[5]);

        SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder()
                .set("MLFLOW_SECRETS_AUTH_ENABLE", "env").set("MLFLOW_TRACKING_TOKEN", token)
                .set("MLFLOW_SECRETS_ALLOWED_HOSTS", upstreamUri.getRawAuthority()).build()).build();
        Upstream upstream = new Upstream(upstreamUri);
        ProxyOptions options = new ProxyOptions("127.0.0.1", port, false, Optional.empty(), 1 << 20, 5, Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(120), Duration.ofSeconds(5), 64, Duration.ofSeconds(60), 32L << 20);
        ProxyMetrics metrics = new ProxyMetrics();

        QueuedThreadPool threads = new QueuedThreadPool(serverThreads, Math.min(4, serverThreads));
        threads.setName("mlflow-secrets-auth-proxy");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(sendDate);
        http.setRequestHeaderSize(16 * 1024);
        http.setIdleTimeout(options.idleTimeout().toMillis());
        http.setMinRequestDataRate(1024);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        CredentialProxyHandler proxy = new CredentialProxyHandler(auth, upstream, options, metrics,
                io.github.mlflowsecretsauth.proxy.tls.UpstreamTls.from(auth.settings(), upstream.uri(), java.time.Clock.systemUTC()));
        ClientConnector clientConnector = new ClientConnector();
        if (clientThreads.equals("shared")) {
            clientConnector.setExecutor(threads);
        } else {
            QueuedThreadPool pool = new QueuedThreadPool(Integer.parseInt(clientThreads));
            pool.setName("proxy-client");
            pool.setDaemon(true);
            clientConnector.setExecutor(pool);
        }
        HttpClient client = new HttpClient(new HttpClientTransportDynamic(clientConnector));
        // What ProxyHandler and CredentialProxyHandler.configureHttpClient do to the client they create.
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setConnectTimeout(options.connectTimeout().toMillis());
        client.setIdleTimeout(options.idleTimeout().toMillis());
        client.setMaxConnectionsPerDestination(options.maxUpstreamConnections());
        client.setUserAgentField(null);
        client.start();
        client.getContentDecoderFactories().clear();
        proxy.setHttpClient(client);

        AdminEndpoints admin = new AdminEndpoints(auth, upstream, metrics);
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(new GuardHandler(Set.of("127.0.0.1", "localhost"), Optional.empty(), admin, metrics, proxy));
        server.setHandler(graceful);
        server.start();
        System.out.println("listening on " + port);
        server.join();
    }
}
