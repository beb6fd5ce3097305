package io.github.mlflowsecretsauth.testkit;

import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Command line of the testkit jar: {@code java -jar mlflow-secrets-auth-testkit-all.jar vault
 * [options]} starts a {@link VaultServer}, prints {@code VAULT_ADDR=...} (and
 * {@code VAULT_CACERT=...}), optionally writes them to a ready file, and runs until the JVM is
 * stopped (SIGTERM closes it through a shutdown hook). Bad arguments print one line to stderr and
 * exit with status 2; {@code --help} prints the usage.
 *
 * <p>{@link #run(String[], PrintStream)} starts the same thing without blocking, for tests.
 *
 * <p>Thread-safe: holds no state; each {@link Running} closes at most once.
 */
public final class TestkitMain {

    /** Exit status for bad arguments. */
    public static final int USAGE_ERROR = 2;

    private static final String GENERAL_USAGE = String.join(System.lineSeparator(),
            "Usage: java -jar mlflow-secrets-auth-testkit-all.jar <command> [options]",
            "",
            "Commands:",
            "  vault    run a local HashiCorp Vault look-alike (see: vault --help)",
            "");

    private TestkitMain() {}

    /** Runs the command line; blocks while a server runs. */
    public static void main(String[] args) {
        // The jar ships no SLF4J provider; keep SLF4J's "no providers" notice off stderr, which is
        // reserved for one-line errors. Set the property yourself (or add a provider) to see logs.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        int status = execute(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Does what {@link #main} does without exiting the JVM: returns the exit status once the
     * server has been closed (or at once for help and errors).
     */
    static int execute(String[] args, PrintStream out, PrintStream err) {
        return execute(args, out, err, running -> { });
    }

    /** {@link #execute(String[], PrintStream, PrintStream)}, telling {@code started} about the server. */
    static int execute(String[] args, PrintStream out, PrintStream err, Consumer<Running> started) {
        List<String> list = Arrays.asList(args);
        if (list.contains("--help") || list.contains("-h") || (!list.isEmpty() && list.get(0).equals("help"))) {
            out.print(!list.isEmpty() && list.get(0).equals("vault") ? VaultCommand.USAGE : GENERAL_USAGE
                    + System.lineSeparator() + VaultCommand.USAGE);
            out.flush();
            return 0;
        }
        Running running;
        try {
            running = run(args, out);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage() + " (see --help)");
            return USAGE_ERROR;
        } catch (RuntimeException e) {
            Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
            err.println("error: could not start: " + cause.getMessage());
            return 1;
        }
        Thread hook = new Thread(running::close, "testkit-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        started.accept(running);
        try {
            running.awaitClosed();
        } catch (InterruptedException e) {
            running.close();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is what closed the server.
        }
        return 0;
    }

    /**
     * Parses {@code args}, starts the server and returns once it is listening, after printing the
     * ready lines to {@code out} and writing the ready file if one was asked for.
     *
     * @throws UsageException if the arguments are wrong (nothing was started)
     * @throws UncheckedIOException if the server or ready file could not be set up
     */
    public static Running run(String[] args, PrintStream out) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("missing command (try: vault)");
        }
        if (!args[0].equals("vault")) {
            throw new UsageException("unknown command '" + args[0] + "'");
        }
        VaultCommand command = VaultCommand.parse(Arrays.asList(args).subList(1, args.length));
        VaultServer server = command.start();
        List<String> lines = VaultCommand.readyLines(server);
        RunningVault running = new RunningVault(server, lines, command.readyFile());
        try {
            lines.forEach(out::println);
            out.flush();
            if (command.readyFile() != null) {
                ReadyFile.write(command.readyFile(), lines);
            }
        } catch (IOException e) {
            running.close();
            throw new UncheckedIOException("could not write the ready file: " + e.getMessage(), e);
        }
        return running;
    }

    /** A server started by {@link #run}; closing it stops the server and removes the ready file. */
    public interface Running extends AutoCloseable {

        /** The lines printed once ready, such as {@code VAULT_ADDR=http://127.0.0.1:8200}. */
        List<String> readyLines();

        /** The running Vault server. */
        VaultServer vault();

        /** Blocks until {@link #close()} has been called. */
        void awaitClosed() throws InterruptedException;

        /** Stops the server; safe to call more than once. */
        @Override
        void close();
    }

    /** Wrong command-line arguments; the message is one line meant for the user. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        /** Creates the exception with a one-line message. */
        public UsageException(String message) {
            super(message);
        }
    }

    private static final class RunningVault implements Running {
        private final VaultServer server;
        private final List<String> lines;
        private final Path readyFile;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final CountDownLatch closedLatch = new CountDownLatch(1);

        RunningVault(VaultServer server, List<String> lines, Path readyFile) {
            this.server = server;
            this.lines = List.copyOf(lines);
            this.readyFile = readyFile;
        }

        @Override
        public List<String> readyLines() {
            return lines;
        }

        @Override
        public VaultServer vault() {
            return server;
        }

        @Override
        public void awaitClosed() throws InterruptedException {
            closedLatch.await();
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                server.close();
                if (readyFile != null) {
                    Files.deleteIfExists(readyFile);
                }
            } catch (IOException e) {
                // Only the ready file could not be removed; the server is stopped.
            } finally {
                closedLatch.countDown();
            }
        }
    }
}
