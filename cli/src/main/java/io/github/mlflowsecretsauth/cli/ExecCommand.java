package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.proxy.AuthProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code exec -- CMD...}: runs a command with an ephemeral proxy and MLFLOW_TRACKING_URI pointing at it. */
@Command(name = "exec", mixinStandardHelpOptions = true,
        description = {"Run a command with an ephemeral auth proxy on a free loopback port and MLFLOW_TRACKING_URI",
            "pointing at it, like aws-vault exec or op run:",
            "  mlflow-secrets-auth exec -- python train.py",
            "Signals are forwarded to the command, and its exit code is returned. MLFLOW_TRACKING_AUTH is removed",
            "from the command's environment, so a Python MLflow client does not look for a plugin."})
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
        root.configureLogging(ctx.settings().get(ConfigKeys.LOG_LEVEL).orElse(null));
        try (SecretsAuth engine = ctx.engine()) {
            ProxySettings.requireProvider(engine);
            URI up = ProxySettings.upstream(upstream, engine);
            try (AuthProxy proxy = ProxySettings.builder(engine, up).listen("127.0.0.1", 0).start()) {
                ProcessBuilder pb = new ProcessBuilder(command).inheritIO().directory(ctx.workDir().toFile());
                Map<String, String> env = pb.environment();
                env.clear();
                env.putAll(ctx.environment());
                env.put(ConfigKeys.TRACKING_URI, proxy.uri().toString());
                env.remove(ConfigKeys.TRACKING_AUTH);
                Process child;
                try {
                    child = pb.start();
                } catch (IOException e) {
                    ctx.err().println("mlflow-secrets-auth: error: cannot run '" + command.get(0) + "': "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\"[^:]*: ", "")));
                    return EXIT_NOT_FOUND;
                }
                SignalForwarder.forwardTo(child);
                return child.waitFor();
            }
        }
    }
}
