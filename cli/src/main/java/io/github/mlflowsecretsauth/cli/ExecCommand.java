package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.AuthStatus;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.proxy.ClientToken;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code exec -- CMD...}: runs a command with an ephemeral proxy and MLFLOW_TRACKING_URI pointing at it. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command with its own auth proxy, with no change to its code.",
            "The proxy listens on a free loopback port and MLFLOW_TRACKING_URI points at it, like aws-vault exec "
                + "or op run:",
            "  mlflow-secrets-auth exec -- python train.py",
            "The proxy serves only this command: it gets a fresh per-run token as MLFLOW_TRACKING_TOKEN (MLflow "
                + "clients send it as Authorization: Bearer), and any other local process gets 401. The command's "
                + "environment loses what this tool consumed (provider credentials such as VAULT_TOKEN, "
                + "MLFLOW_TRACKING_USERNAME/PASSWORD, client certificate paths; see the README); global AWS_* "
                + "credentials stay. --keep-env NAME keeps one.",
            "SIGINT, SIGTERM and SIGHUP are forwarded as themselves; the exit code is the command's, or 128 + the "
                + "signal number if it died of one. On Linux the command is stopped (SIGTERM) if exec itself is killed.",
            "With MLFLOW_SECRETS_AUTH_MOCK=true the command gets an in-memory MLflow server instead; with "
                + "MLFLOW_SECRETS_AUTH_OPTIONAL=true it gets one only when MLflow or its credentials are unavailable."})
final class ExecCommand implements Callable<Integer> {

    @ParentCommand
    private RootCommand root;

    @Option(names = "--upstream", paramLabel = "URL", description = "The MLflow server (default: MLFLOW_TRACKING_URI).")
    private String upstream;

    @Option(names = "--keep-env", paramLabel = "NAME",
            description = "Keep this variable in the command's environment although exec would remove it (repeatable).")
    private List<String> keepEnv = new ArrayList<>();

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "The command and its arguments (after --).")
    private List<String> command;

    @Override
    public Integer call() throws InterruptedException {
        CliContext ctx = root.context();
        ChildEnvironment.validateKeep(keepEnv);
        Settings settings = ctx.settings();
        root.configureLogging(settings.get(ConfigKeys.LOG_LEVEL).orElse(null));
        String mode = AuthStatus.mode(settings);
        if (mode.equals("mock")) {
            return runOnEmbeddedStore(ctx, ConfigKeys.MOCK + "=true", enabledProviders(settings));
        }
        Set<String> enabled = Set.of();
        try (SecretsAuth engine = SecretsAuth.builder().settings(settings).build()) {
            enabled = engine.config().enabled();
            ProxySettings.requireProvider(engine);
            URI up = ProxySettings.upstream(upstream, engine);
            String token = ClientToken.random();
            try (AuthProxy proxy = ProxySettings.builder(engine, up).listen("127.0.0.1", 0).clientToken(token).start()) {
                if (mode.equals("optional")) {
                    String problem = probe(proxy.uri(), token);
                    if (problem != null) {
                        proxy.close();
                        return runOnEmbeddedStore(ctx, ConfigKeys.OPTIONAL + "=true and MLflow is unavailable (" + problem + ")",
                                enabled);
                    }
                }
                return run(ctx, proxy.uri(), enabled, Optional.of(token));
            }
        } catch (ConfigurationException e) {
            throw e;
        } catch (SecretsAuthException e) {
            if (mode.equals("optional")) {
                return runOnEmbeddedStore(ctx, ConfigKeys.OPTIONAL + "=true and MLflow is unavailable (" + e.getMessage() + ")",
                        enabled);
            }
            throw e;
        }
    }

    /** The providers the settings enable; all that have variables to remove if the settings do not parse. */
    private static Set<String> enabledProviders(Settings settings) {
        try (SecretsAuth engine = SecretsAuth.builder().settings(settings).build()) {
            return engine.config().enabled();
        } catch (ConfigurationException e) {
            return ChildEnvironment.REMOVED.stream().map(ChildEnvironment.Removed::when).collect(Collectors.toSet());
        }
    }

    private int runOnEmbeddedStore(CliContext ctx, String why, Set<String> enabled) throws InterruptedException {
        try (MlflowServer store = MlflowServer.builder().start()) {
            ctx.err().println("mlflow-secrets-auth: warning: " + why + ": the command logs to an in-memory tracking store at "
                    + store.uri() + "; nothing reaches MLflow");
            ctx.err().flush();
            return run(ctx, store.uri(), enabled, Optional.empty());
        }
    }

    /** Null when the server accepts a read-only call through the proxy, else a one-line reason. */
    private static String probe(URI proxy, String token) throws InterruptedException {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(proxy + "/api/2.0/mlflow/experiments/search?max_results=1")).timeout(Duration.ofSeconds(15))
                            .header("Authorization", ClientToken.authorization(token)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() >= 200 && r.statusCode() < 300 ? null : "HTTP " + r.statusCode();
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** Runs the command from this thread (its parent-death signal is tied to the thread that starts it). */
    private int run(CliContext ctx, URI trackingUri, Set<String> enabled, Optional<String> token) throws InterruptedException {
        Map<String, String> env = ChildEnvironment.of(ctx.environment(), enabled, keepEnv, trackingUri, token);
        try (SignalForwarder signals = SignalForwarder.install()) {
            Process child;
            try {
                child = ChildLauncher.forThisMachine().start(command, env, ctx.workDir());
            } catch (ChildLauncher.CannotRun e) {
                ctx.err().println("mlflow-secrets-auth: error: " + e.getMessage());
                return e.exitCode;
            }
            signals.attach(child);
            try {
                return child.waitFor();
            } finally {
                if (child.isAlive()) { // interrupted while waiting: the command does not outlive this run
                    child.destroy();
                }
            }
        }
    }
}
