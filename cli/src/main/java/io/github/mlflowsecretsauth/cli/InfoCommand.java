package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Report;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code info}: version, providers and configuration, without contacting any backend. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show the version, the providers and the active configuration.",
            "Lists which providers are enabled and configured, the active configuration and the security settings. "
                + "Contacts no backend and prints no secret. Exits 0 even when nothing is configured; exits 1 only "
                + "when the configuration is invalid."})
final class InfoCommand implements Callable<Integer> {
    @ParentCommand
    private RootCommand root;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Override
    public Integer call() {
        CliContext ctx = root.context();
        Report report = new Report("info", "MLflow Secrets Auth – Info");
        report.add(Check.info("Version").detail("Version", VersionProvider.version())
                .detail("Java", System.getProperty("java.version")));
        Settings settings;
        try {
            settings = ctx.settings();
            root.configureLogging(settings.get(ConfigKeys.LOG_LEVEL).orElse(null));
            try (SecretsAuth engine = SecretsAuth.builder().settings(settings).build()) {
                report.add(EngineReport.providers(engine)).status(engine.isConfigured()
                        ? io.github.mlflowsecretsauth.cli.report.Status.OK : io.github.mlflowsecretsauth.cli.report.Status.WARN);
                report.add(EngineReport.configuration(engine, settings));
                report.add(EngineReport.security(engine));
            }
        } catch (ConfigurationException e) {
            report.add(Check.fail("Configuration", e.getMessage(), "fix the variable named above"));
        }
        if (json) {
            report.printJson(ctx.out());
        } else {
            report.printText(ctx.out());
        }
        if (!report.ok()) {
            ctx.err().println("mlflow-secrets-auth: error: " + report.firstFailure().orElse("invalid configuration"));
            return Main.EXIT_FAILURE;
        }
        return 0;
    }
}
