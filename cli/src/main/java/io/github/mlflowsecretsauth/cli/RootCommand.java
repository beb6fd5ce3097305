package io.github.mlflowsecretsauth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mlflow-secrets-auth}: the root command, holding the global options. */
@Command(name = "mlflow-secrets-auth",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Fetches MLflow credentials from Vault, AWS Secrets Manager, Azure Key Vault, a file or the environment,",
            "caches them and puts them on every MLflow request.",
            "",
            "Configuration comes from environment variables, Java system properties and ./.env (see README)."},
        subcommands = {InfoCommand.class, DoctorCommand.class, StatusCommand.class, ConfigCommand.class, ProxyCommand.class, ExecCommand.class, CacheCommand.class,
            ArtifactsCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit status: 0 on success, 1 when a check or operation fails, 2 on bad usage."})
public final class RootCommand implements Runnable {
    private final CliContext context;

    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Log at DEBUG level and print stack traces of failures.")
    private boolean verbose;

    RootCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    boolean verbose() {
        return verbose;
    }

    /** Applies the log level: --verbose wins, then MLFLOW_SECRETS_LOG_LEVEL. */
    void configureLogging(String configuredLevel) {
        LogLevels.apply(verbose ? "DEBUG" : configuredLevel);
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(context.out());
    }
}
