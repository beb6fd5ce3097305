package io.github.mlflowsecretsauth.testkit.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code openssl} command-line tool (Debian's package) in a working directory. Passwords go
 * through the environment ({@code pass:env:NAME}), never the command line. Stateless.
 */
final class OpenSsl {
    static final String NOT_INSTALLED = "openssl is not installed (needed for test certificates): apt-get install openssl";
    private static final long TIMEOUT_SECONDS = 60;

    private OpenSsl() {
    }

    static boolean isAvailable() {
        return binary().isPresent();
    }

    private static Optional<Path> binary() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(java.io.File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/bin", "/usr/local/bin", "/bin"));
        return dirs.stream().filter(d -> !d.isEmpty()).map(d -> Path.of(d, "openssl"))
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /**
     * Runs {@code openssl ARGS} in {@code directory} with {@code env} added to the environment.
     *
     * @throws IllegalStateException if openssl is missing, fails or does not finish within 60 s;
     *     the message carries its output
     */
    static void run(Path directory, Map<String, String> env, String... args) {
        Path openssl = binary().orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + openssl, e);
        }
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + args[0] + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + args[0] + " failed (exit " + process.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException("cannot read openssl's output", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}
