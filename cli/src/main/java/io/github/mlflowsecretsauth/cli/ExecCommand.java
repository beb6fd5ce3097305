package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.AuthStatus;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.testkit.mlflow.MlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code exec -- CMD...}: runs a command with an ephemeral proxy and MLFLOW_TRACKING_URI pointing at it. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command with an ephemeral auth proxy on a free loopback port and MLFLOW_TRACKING_URI",
            "pointing at it, like aws-vault exec or op run:",
            "  mlflow-secrets-auth exec -- python train.py",
            "Signals are forwarded to the command, and its exit code is returned. MLFLOW_TRACKING_AUTH is removed",
            "from the command's environment, so a Python MLflow client does not look for a plugin.",
            "With MLFLOW_SECRETS_AUTH_MOCK=true the command gets an in-memory MLflow server instead; with",
            "MLFLOW_SECRETS_AUTH_OPTIONAL=true it gets one only when MLflow or its credentials are unavailable."})
final class ExecCommand implements Callable<Integer> {
    /** Exit code when the command cannot be started, as shells use. */
    static final int EXIT_NOT_FOUND = 127;

    @ParentCommand
    private RootCommand root;

    @Option(names = "--upstream", paramLabel = "URL", description = "The MLflow server (default: MLFLOW_TRACKING_URI).")
    private String upstream;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    private List<String> command;

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = root.context();
        Settings settings = ctx.settings();
        root.configureLogging(settings.get(ConfigKeys.LOG_LEVEL).orElse(null));
        String mode = AuthStatus.mode(settings);
        if (mode.equals("mock")) {
            return runOnEmbeddedStore(ctx, ConfigKeys.MOCK + "=true");
        }
        try (SecretsAuth engine = SecretsAuth.builder().settings(settings).build()) {
            ProxySettings.requireProvider(engine);
            URI up = ProxySettings.upstream(upstream, engine);
            try (AuthProxy proxy = ProxySettings.builder(engine, up).listen("127.0.0.1", 0).start()) {
                if (mode.equals("optional")) {
                    String problem = probe(proxy.uri());
                    if (problem != null) {
                        proxy.close();
                        return runOnEmbeddedStore(ctx, ConfigKeys.OPTIONAL + "=true and MLflow is unavailable (" + problem + ")");
                    }
                }
                return run(ctx, proxy.uri());
            }
        } catch (ConfigurationException e) {
            throw e;
        } catch (SecretsAuthException e) {
            if (mode.equals("optional")) {
                return runOnEmbeddedStore(ctx, ConfigKeys.OPTIONAL + "=true and MLflow is unavailable (" + e.getMessage() + ")");
            }
            throw e;
        }
    }

    private int runOnEmbeddedStore(CliContext ctx, String why) throws InterruptedException {
        try (MlflowServer store = MlflowServer.builder().start()) {
            ctx.err().println("mlflow-secrets-auth: warning: " + why + ": the command logs to an in-memory tracking store at "
                    + store.uri() + "; nothing reaches MLflow");
            ctx.err().flush();
            return run(ctx, store.uri());
        }
    }

    /** Null when the server accepts a read-only call through the proxy, else a one-line reason. */
    private static String probe(URI proxy) throws InterruptedException {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(proxy + "/api/2.0/mlflow/experiments/search?max_results=1")).timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() >= 200 && r.statusCode() < 300 ? null : "HTTP " + r.statusCode();
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    private int run(CliContext ctx, URI trackingUri) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO().directory(ctx.workDir().toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(ctx.environment());
        env.put(ConfigKeys.TRACKING_URI, trackingUri.toString());
        env.remove(ConfigKeys.TRACKING_AUTH);
        Process child;
        try {
            child = pb.start();
        } catch (IOException e) {
            ctx.err().println("mlflow-secrets-auth: error: cannot run '" + command.get(0) + "': "
                    + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\"[^:]*: ", "")));
            return EXIT_NOT_FOUND;
        }
        SignalForwarder.forwardTo(child);
        return child.waitFor();
    }
}
