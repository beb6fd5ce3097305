package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code proxy}: a local auth proxy in the foreground until stopped. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Run an auth proxy that adds the MLflow credential to every request.",
            "It listens on loopback and forwards every request to the MLflow server (the upstream) with the "
                + "credential added. Point any client at it:",
            "  export MLFLOW_TRACKING_URI=http://127.0.0.1:5001",
            "",
            "Who can use it: without a client token, EVERY local process of EVERY user on this machine can send "
                + "requests through it, with your credential (loopback is not a per-user boundary). To require a "
                + "token, set MLFLOW_SECRETS_PROXY_CLIENT_TOKEN (or --client-token-file) to a long random value: "
                + "clients must then send Authorization: Bearer <token>, which the MLflow clients do with",
            "  export MLFLOW_TRACKING_TOKEN=<token>",
            "Other requests get 401; the token is never forwarded. For one command, 'exec' starts a proxy that only "
                + "that command can use (a fresh token per run). On the network (--listen 0.0.0.0:5001 "
                + "--allow-remote, as in a container) the token is required; MLFLOW_SECRETS_PROXY_HOST_NAMES lists "
                + "further names clients reach it by, such as a Kubernetes Service's.",
            "",
            "A browser page from another site cannot use it: a request with Sec-Fetch-Site: cross-site, or an Origin "
                + "other than the proxy's own, is refused (403) on POST, PUT, PATCH and DELETE and on the proxy's own "
                + "endpoints; the MLflow UI opened at the proxy's address works.",
            "Its own endpoints: /__mlflow-secrets-auth/health, /metrics (Prometheus), /cache/clear (POST). Stops "
                + "gracefully on Ctrl-C or SIGTERM, letting in-flight requests finish."})
final class ProxyCommand implements Callable<Integer> {
    @ParentCommand
    private RootCommand root;

    @Option(names = "--upstream", paramLabel = "URL", description = "The MLflow server (default: MLFLOW_TRACKING_URI).")
    private String upstream;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5001",
            description = "Where to listen (default: ${DEFAULT-VALUE}). Non-loopback needs --allow-remote.")
    private String listen;

    @Option(names = "--allow-remote", description = "Allow a non-loopback --listen address; clients must then send the "
            + "client token as Authorization: Bearer <token>.")
    private boolean allowRemote;

    @Option(names = "--client-token-file", paramLabel = "FILE",
            description = "File holding the client token that clients must send as Authorization: Bearer <token> "
                    + "(default: MLFLOW_SECRETS_PROXY_CLIENT_TOKEN). Without one, every local process can use the proxy.")
    private Path clientTokenFile;

    @Option(names = "--cds-training", hidden = true, description = "For the launcher: start, send a few requests "
            + "through the proxy and stop, so that its class-data archive holds the proxy's classes.")
    private boolean training;

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = root.context();
        root.configureLogging(ctx.settings().get(ConfigKeys.LOG_LEVEL).orElse("INFO"));
        SecretsAuth engine = ctx.engine();
        AuthProxy proxy;
        String token;
        try {
            ProxySettings.requireProvider(engine);
            URI up = ProxySettings.upstream(upstream, engine);
            HostPort hp = HostPort.parse(listen);
            token = ProxySettings.clientToken(clientTokenFile, ctx);
            proxy = ProxySettings.builder(engine, up).listen(hp.host(), hp.port()).allowRemote(allowRemote)
                    .clientToken(token).start();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        if (training) {
            ArchiveTraining.exercise(proxy.uri());
            proxy.close();
            engine.close();
            return 0;
        }
        Thread hook = new Thread(() -> {
            proxy.close();
            engine.close();
        }, "mlflow-secrets-auth-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ctx.out().println("mlflow-secrets-auth proxy listening on " + proxy.uri() + " -> " + proxy.upstream()
                + " (" + credentialSource(engine) + ")");
        ctx.out().println("Point clients at it: export MLFLOW_TRACKING_URI=" + proxy.uri());
        if (token == null) {
            ctx.out().println("Every local process, of any user, can use this proxy: set " + ProxySettings.CLIENT_TOKEN
                    + " to require a token");
        }
        ctx.out().flush();
        proxy.join();
        return 0;
    }

    /** Where the proxy's credential comes from: the first provider, or SigV4 signing alone (an API Gateway with IAM auth). */
    static String credentialSource(SecretsAuth engine) {
        return engine.headerSource().label();
    }

    /** A {@code HOST:PORT} listen address. */
    record HostPort(String host, int port) {
        static HostPort parse(String s) {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || colon == s.length() - 1) {
                throw new ConfigurationException("--listen must be HOST:PORT, e.g. 127.0.0.1:5001");
            }
            String host = s.substring(0, colon).replaceAll("^\\[|]$", "");
            try {
                int port = Integer.parseInt(s.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, port);
            } catch (NumberFormatException e) {
                throw new ConfigurationException("--listen: the port must be a number from 0 to 65535");
            }
        }
    }
}
