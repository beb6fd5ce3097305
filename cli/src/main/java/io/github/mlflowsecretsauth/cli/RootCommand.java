package io.github.mlflowsecretsauth.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code mlflow-secrets-auth}: the root command, holding the global options. */
@Command(name = "mlflow-secrets-auth",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        // The description lists the providers found at run time: see description(List) and Main.run.
        subcommands = {InfoCommand.class, DoctorCommand.class, StatusCommand.class, ConfigCommand.class, ProxyCommand.class, ExecCommand.class, CacheCommand.class,
            ArtifactsCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Exit status: 0 on success, 1 when a check or operation fails, 2 on bad usage."})
public final class RootCommand implements Runnable {
    /** What each provider name stands for, for the description; a name not listed here is shown as it is. */
    private static final Map<String, String> PROVIDER_LABELS = Map.ofEntries(
            Map.entry("vault", "HashiCorp Vault"),
            Map.entry("aws-secrets-manager", "AWS Secrets Manager"),
            Map.entry("azure-key-vault", "Azure Key Vault"),
            Map.entry("gcp-secret-manager", "Google Secret Manager"),
            Map.entry("file", "a mounted file"),
            Map.entry("env", "environment variables"),
            Map.entry("kubernetes", "the pod's Kubernetes service-account token"),
            Map.entry("entra", "a Microsoft Entra ID token"),
            Map.entry("oauth2", "an OAuth 2.0 client-credentials token from any identity provider"),
            Map.entry("gcp-id-token", "a Google-signed ID token for IAP or Cloud Run"));

    private final CliContext context;

    @Spec
    private CommandSpec spec;

    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Log at DEBUG level and print stack traces of failures.")
    private boolean verbose;

    RootCommand(CliContext context) {
        this.context = context;
    }

    /** The top-level description, naming every provider in {@code providers} (the catalog's known names). */
    static String[] description(List<String> providers) {
        String list = providers.stream().map(p -> PROVIDER_LABELS.containsKey(p) ? p + " (" + PROVIDER_LABELS.get(p) + ")" : p)
                .collect(Collectors.joining(", "));
        return new String[] {
            "Fetches MLflow credentials from secret managers, caches them and puts them on every MLflow request.",
            "",
            "Providers, enabled with MLFLOW_SECRETS_AUTH_ENABLE (a comma list): " + list + ".",
            "",
            "Configuration comes from environment variables, Java system properties and the file .env in the "
                + "current directory; docs/CONFIGURATION.md lists every setting."};
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
        spec.commandLine().usage(context.out()); // this command line's spec: its description names the providers
    }
}
