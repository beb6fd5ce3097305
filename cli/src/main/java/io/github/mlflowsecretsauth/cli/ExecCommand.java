package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.config.TrackingMode;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import io.github.mlflowsecretsauth.mlflow.ServerProbes;
import io.github.mlflowsecretsauth.mlflow.TrackingFallback;
import io.github.mlflowsecretsauth.proxy.ClientToken;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
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
                + "MLFLOW_TRACKING_USERNAME/PASSWORD, client certificate paths: the list is in docs/PROXY.md); the "
                + "global AWS_* credentials stay. --keep-env NAME keeps one.",
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
        TrackingMode mode = TrackingMode.of(settings);
        try (Target target = TrackingFallback.open(mode, () -> Target.proxy(settings, upstream, mode),
                why -> Target.store(ctx, why, enabledProviders(settings)))) {
            return run(ctx, target.uri(), target.enabled(), target.token());
        }
    }

    /** Where the command's MLFLOW_TRACKING_URI points: this run's proxy, or the in-memory store. */
    private record Target(URI uri, Set<String> enabled, Optional<String> token, List<AutoCloseable> resources)
            implements AutoCloseable {

        /** The engine and a proxy that only this run's token may use; in optional mode the server is probed through it. */
        static Target proxy(Settings settings, String upstreamOption, TrackingMode mode) {
            SecretsAuth engine = SecretsAuth.builder().settings(settings).build();
            AuthProxy proxy = null;
            try {
                ProxySettings.requireProvider(engine);
                URI up = ProxySettings.upstream(upstreamOption, engine);
                String token = ClientToken.random();
                proxy = ProxySettings.builder(engine, up).listen("127.0.0.1", 0).clientToken(token).start();
                if (mode == TrackingMode.OPTIONAL) {
                    ServerProbes.check(proxy.uri(), ClientToken.authorization(token), up);
                }
                return new Target(proxy.uri(), engine.config().enabled(), Optional.of(token), List.of(proxy, engine));
            } catch (RuntimeException e) {
                if (proxy != null) {
                    proxy.close();
                }
                engine.close();
                throw e;
            }
        }

        static Target store(CliContext ctx, String why, Set<String> enabled) {
            MlflowServer store = MlflowServer.builder().start();
            ctx.err().println("mlflow-secrets-auth: warning: " + why + ": the command logs to an in-memory tracking store at "
                    + store.uri() + "; nothing reaches MLflow");
            ctx.err().flush();
            return new Target(store.uri(), enabled, Optional.empty(), List.of(store));
        }

        @Override
        public void close() {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    // closing at the end of the run: nothing left to tell the user
                }
            }
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
