package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.internal.ProviderCatalog;
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
        Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> fatal(err, thread, ex));
        int code;
        try {
            code = run(args, CliContext.ofProcess(out, err));
        } catch (OutOfMemoryError | StackOverflowError e) {
            fatal(err, Thread.currentThread(), e);
            return;
        }
        System.exit(code);
    }

    /**
     * One line for an error nothing else caught, on any thread. The process cannot be trusted after an
     * {@link Error} (a half-built state, a lost request), so it stops at once with exit code 1 instead of
     * printing a stack trace and running on; a supervisor restarts it.
     */
    static void fatal(PrintWriter err, Thread thread, Throwable ex) {
        String line = ex instanceof OutOfMemoryError
                ? "out of memory (" + Redactor.oneLine(String.valueOf(ex.getMessage()), 80) + "): give the JVM more with "
                        + "MLFLOW_SECRETS_AUTH_JAVA_OPTS=-Xmx256m, or lower MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB"
                : ex.getClass().getSimpleName() + " in thread " + thread.getName() + ": run with --verbose, and report it"
                        + " if it repeats";
        err.println("mlflow-secrets-auth: error: " + line);
        err.flush();
        if (ex instanceof Error) {
            Runtime.getRuntime().halt(EXIT_FAILURE);
        } // an exception on a background thread failed that task only: the command runs on
    }

    /** Runs one command line against {@code ctx} and returns the exit code. */
    public static int run(String[] args, CliContext ctx) {
        RootCommand root = new RootCommand(ctx);
        CommandLine cli = new CommandLine(root);
        cli.getCommandSpec().usageMessage().description(RootCommand.description(ProviderCatalog.discover().knownNames()));
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
