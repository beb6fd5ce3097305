package io.github.mlflowsecretsauth.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code mlflow-secrets-auth exec -- sh -c SCRIPT} as a real, separate JVM (the CLI's main class on this test's class
 * path), in its own session so that a terminal the build runs in never signals it. Every line it and its child print
 * is kept, written to {@code target/reliability/exec-NAME.log}, and checked for the canary on {@link #close}
 * (its log lines also reach {@code test-jvm.log}, which {@link LeakScanIT} scans). Lines the child means for
 * the test start with {@code CHILD }.
 */
final class ExecProcess implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(60); // a safety net: each wait ends on a line or an exit

    final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();
    private final Path log;

    private ExecProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (all) {
                        all.add(line);
                    }
                    Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    lines.add(line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "exec-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    static ExecProcess start(String name, Path dir, Map<String, String> settings, List<String> execArgs, String script)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid"); // not a group leader, so setsid execs in place: the pid stays exec's
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-XX:TieredStopAtLevel=1", "-Dreliability.dir=" + Results.dir().toAbsolutePath(),
                "-Dlogback.configurationFile=" + Path.of("target", "test-classes", "logback-test.xml").toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), "io.github.mlflowsecretsauth.cli.Main", "exec"));
        cmd.addAll(execArgs);
        cmd.addAll(List.of("--", "sh", "-c", script));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_"));
        pb.environment().putAll(settings);
        Path log = Results.dir().resolve("exec-" + name + ".log");
        Files.deleteIfExists(log);
        return new ExecProcess(pb.start(), log);
    }

    /** The rest of the first line that starts with {@code "CHILD " + prefix}; fails when exec ends first. */
    String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith("CHILD " + prefix)) {
                return line.substring(("CHILD " + prefix).length()).strip();
            }
            if (line == null && !process.isAlive() && lines.isEmpty()) {
                throw new AssertionError("exec ended (" + process.exitValue() + ") before its child said '" + prefix + "': " + output());
            }
        }
        throw new AssertionError("no '" + prefix + "' from the child within " + WAIT + ": " + output());
    }

    int exitCode() throws InterruptedException {
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("exec did not end: " + output());
        }
        return process.exitValue();
    }

    /** Sends SIG{@code name} to exec itself (not to its child). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -s " + name + " failed");
        }
    }

    String output() {
        synchronized (all) {
            return String.join("\n", all);
        }
    }

    /** Stops exec if it still runs; fails if the canary showed in anything it or its child printed. */
    @Override
    public void close() {
        process.destroyForcibly();
        if (Canary.in(output())) {
            throw new AssertionError("the canary appeared in exec's output (see " + log.getFileName() + ")");
        }
    }
}
