package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.ProviderBinding;
import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Report;
import io.github.mlflowsecretsauth.cli.report.Status;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.net.URI;
import java.util.concurrent.Callable;

/** {@code doctor}: checks the configuration, fetches the secret, builds the header, and optionally tries it. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check the configuration and fetch the credential from each provider.",
            "Validates the configuration, resolves the provider, fetches the secret from each configured provider, "
                + "builds the auth header (shown masked) and checks the host allowlist.",
            "With --dry-run URL, also sends one read-only MLflow request (experiments/search, max_results=1) to URL "
                + "with the credential: exit 0 only if the server accepts it.",
            "When MLFLOW_ARTIFACT_ROOT is s3://, also checks the S3 root: the AWS credentials (STS), the bucket "
                + "(HeadBucket), and a probe object written, read back and deleted."})
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand
    private RootCommand root;

    @Option(names = "--dry-run", paramLabel = "URL",
            description = "The MLflow tracking URL to test the credential against, for example https://mlflow.company.com.")
    private String dryRun;

    @Option(names = "--json", description = "Print the report as JSON.")
    private boolean json;

    @Override
    public Integer call() {
        CliContext ctx = root.context();
        Report report = new Report("doctor", "MLflow Secrets Auth – Doctor");
        try {
            Settings settings = ctx.settings();
            root.configureLogging(settings.get(ConfigKeys.LOG_LEVEL).orElse(null));
            URI target = dryRun == null ? null : ConfigValues.httpUrl("--dry-run URL", dryRun);
            try (SecretsAuth engine = SecretsAuth.builder().settings(settings).build()) {
                diagnose(engine, settings, target, report);
            }
        } catch (ConfigurationException e) {
            report.add(Check.fail("Configuration validation", e.getMessage(), "fix the setting named above"));
        }
        if (json) {
            report.printJson(ctx.out());
        } else {
            report.printText(ctx.out());
            ctx.out().println(report.ok() ? "All checks passed! ✅" : "Some checks failed. ❌");
        }
        if (!report.ok()) {
            ctx.err().println("mlflow-secrets-auth: error: " + report.firstFailure().orElse("a check failed"));
            return Main.EXIT_FAILURE;
        }
        return 0;
    }

    private static void diagnose(SecretsAuth engine, Settings settings, URI target, Report report) {
        Check providers = report.add(EngineReport.providers(engine));
        report.add(EngineReport.configuration(engine, settings)).status(Status.OK);
        if (AwsIdentityCheck.applies(engine) || S3ArtifactRootCheck.applies(settings)) {
            report.add(AwsIdentityCheck.run(settings));
        }
        if (GcpIdentityCheck.applies(engine)) {
            report.add(GcpIdentityCheck.run(settings));
        }
        if (S3ArtifactRootCheck.applies(settings)) {
            report.add(S3ArtifactRootCheck.run(settings));
        }
        if (providers.status() == Status.FAIL && engine.headerSource().signsEachRequest()) {
            providers.status(Status.INFO).error(null).solution(null).detail("Signing", "AWS SigV4 replaces the secret header");
        }
        boolean noneEnabled = engine.providers().stream().noneMatch(p -> p.enabled());
        if (providers.status() == Status.FAIL && noneEnabled && S3ArtifactRootCheck.applies(settings)) {
            // Seed 000's S3 test script on its own: no secret provider is asked for, so none missing is no failure.
            providers.status(Status.INFO).error(null).solution(null)
                    .detail("Secret providers", "none enabled: only the S3 artifact root is checked (MLflow requests get no credential from this tool)");
        }
        if (providers.status() == Status.FAIL) {
            return;
        }
        HeaderSnapshot working = null;
        for (ProviderBinding b : engine.chain()) {
            Check c = new Check("Secret retrieval (" + b.name() + ")", Status.OK);
            HeaderSnapshot s = null;
            SecretsAuthException failure = null;
            try {
                s = b.fetch();
            } catch (SecretsAuthException e) {
                failure = e;
            }
            // Described after the fetch, so a minted token's issuer, audience, subject and expiry can be shown.
            b.describe().forEach(c::detail);
            if (s != null) {
                c.detail("Secret found", s.location() + s.version().map(v -> " (version " + v + ")").orElse(""));
                c.detail("Auth mode", b.mode().id());
                s.expiresAt().ifPresent(exp -> c.detail("Credential expires", exp.toString()));
                if (working == null) {
                    working = s;
                }
            } else {
                c.status(Status.FAIL).error(failure.getMessage()).solution(solutionFor(failure));
            }
            report.add(c);
        }
        if (working != null) {
            report.add(Check.ok("Auth construction").detail("Header name", working.headerName())
                    .detail("Header value", working.maskedValue()).detail("Auth mode", working.mode().id())
                    .detail("Provider", working.provider()));
        }
        report.add(EngineReport.security(engine));
        if (target != null) {
            if (working == null) {
                report.add(new Check("Dry-run test (" + target + ")", Status.SKIP).detail("Skipped", "no credential could be fetched"));
            } else {
                report.add(DryRun.run(target, working, engine.config().allowlist(), engine.settings()));
            }
        }
    }

    private static String solutionFor(SecretsAuthException e) {
        if (e instanceof AccessDeniedException) {
            return "check the provider's credentials and that its policy grants read access to the secret";
        }
        if (e instanceof SecretNotFoundException) {
            return "verify the secret exists and the configured path or name is correct";
        }
        if (e instanceof MalformedSecretException) {
            return "store {\"token\": ...} or {\"username\": ..., \"password\": ...}, or a bare token";
        }
        if (e instanceof BackendUnavailableException) {
            return "check the backend's address, that it is running, and the network";
        }
        return "see the error above";
    }
}
