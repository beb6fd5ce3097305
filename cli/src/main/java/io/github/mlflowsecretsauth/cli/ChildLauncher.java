package io.github.mlflowsecretsauth.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Starts {@code exec}'s child so that it does not outlive {@code exec}: on Linux it runs under
 * {@code setpriv --pdeathsig TERM}, so a SIGKILLed {@code exec} takes its child along instead of leaving it with a
 * dead {@code MLFLOW_TRACKING_URI} whose port another process could take. The kernel sends that signal when the
 * <em>thread</em> that started the child ends, so {@link #start} must be called from the thread that then waits for
 * the child. {@code setpriv} execs the command, so the child keeps its pid, exit status and signals.
 */
final class ChildLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ChildLauncher.class);
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    /** The command cannot be started; {@link #exitCode} is the shell's (127 not found, 126 not executable). */
    static final class CannotRun extends Exception {
        final int exitCode;

        CannotRun(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final Optional<Path> setpriv;

    ChildLauncher(Optional<Path> setpriv) {
        this.setpriv = setpriv;
    }

    static ChildLauncher forThisMachine() {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
        if (linux && Files.isExecutable(SETPRIV)) {
            return new ChildLauncher(Optional.of(SETPRIV));
        }
        LOG.debug("no {} here: the command is not stopped if exec itself is killed with SIGKILL", SETPRIV);
        return new ChildLauncher(Optional.empty());
    }

    /** Starts {@code command} with exactly {@code env}, in {@code dir}, its standard streams inherited. */
    Process start(List<String> command, Map<String, String> env, Path dir) throws CannotRun {
        String program = command.get(0);
        resolve(program, env.get("PATH"), dir);
        List<String> argv = new ArrayList<>();
        setpriv.ifPresent(p -> argv.addAll(List.of(p.toString(), "--pdeathsig", "TERM", "--")));
        argv.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(argv).inheritIO().directory(dir.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().replaceFirst("^Cannot run program \"[^\"]*\"[^:]*: ", "");
            throw new CannotRun("cannot run '" + program + "': " + why, 127);
        }
    }

    /** Finds {@code program} as execvp would (a name with a slash as is, else on {@code path}), so a miss is our line. */
    static Path resolve(String program, String path, Path dir) throws CannotRun {
        List<Path> candidates = new ArrayList<>();
        if (program.contains("/")) {
            candidates.add(dir.resolve(program));
        } else {
            for (String entry : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator, -1)) {
                candidates.add(dir.resolve(entry.isEmpty() ? "." : entry).resolve(program));
            }
        }
        Path notExecutable = null;
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                if (Files.isExecutable(c)) {
                    return c;
                }
                notExecutable = notExecutable == null ? c : notExecutable;
            }
        }
        if (notExecutable != null) {
            throw new CannotRun("cannot run '" + program + "': " + notExecutable + " is not executable (chmod +x it)", 126);
        }
        throw new CannotRun("cannot run '" + program + "': No such file or directory"
                + (program.contains("/") ? "" : " on PATH"), 127);
    }
}
