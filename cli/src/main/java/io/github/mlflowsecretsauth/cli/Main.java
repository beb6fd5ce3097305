package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.redact.Redactor;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code mlflow-secrets-auth} command. Every failure ends as one line on stderr
 * and a non-zero exit code; a stack trace is printed only with {@code --verbose}.
 */
public final class Main {
    /** Exit code for a failed check or operation. */
    public static final int EXIT_FAILURE = 1;
    /** Exit code for bad command-line usage. */
    public static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(run(args, CliContext.ofProcess(out, err)));
    }

    /** Runs one command line against {@code ctx} and returns the exit code. */
    public static int run(String[] args, CliContext ctx) {
        RootCommand root = new RootCommand(ctx);
        CommandLine cli = new CommandLine(root);
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (root.verbose()) {
                ex.printStackTrace(ctx.err());
            }
            ctx.err().println("mlflow-secrets-auth: error: " + oneLine(ex));
            ctx.err().flush();
            return EXIT_FAILURE;
        });
        cli.setParameterExceptionHandler((ex, args1) -> {
            ctx.err().println("mlflow-secrets-auth: " + ex.getMessage());
            ctx.err().println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            ctx.err().flush();
            return EXIT_USAGE;
        });
        try {
            return cli.execute(args);
        } finally {
            ctx.out().flush();
            ctx.err().flush();
        }
    }

    static String oneLine(Throwable ex) {
        String msg = ex instanceof SecretsAuthException ? ex.getMessage()
                : ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        return Redactor.oneLine(msg, 600);
    }
}
