package io.github.mlflowsecretsauth.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link IsolationProbe} in a fresh JVM whose class path is what a user of one provider module gets:
 * the module's {@code target/classes} and its runtime class path ({@code target/runtime-classpath.txt},
 * written by the build's {@code maven-dependency-plugin build-classpath}: the core and the module's
 * dependencies, no test jars), with every loaded class logged ({@code -Xlog:class+load}). The provider
 * modules' class-loading isolation tests use it to show that no other cloud's SDK is loaded.
 */
public final class IsolatedJvm {
    private IsolatedJvm() {
    }

    /**
     * What the probe did.
     *
     * @param exitCode       the JVM's exit code
     * @param output         its stdout and stderr ({@code PROBE MATCH} when the header was as expected)
     * @param loadedClasses  the name of every class the JVM loaded, in order
     */
    public record Run(int exitCode, String output, List<String> loadedClasses) {
        /** Whether the probe fetched the expected header. */
        public boolean matched() {
            return exitCode == 0 && output.contains("PROBE MATCH");
        }
    }

    /** The module's runtime class path entries, as the build wrote them. */
    public static List<String> runtimeClassPath() throws IOException {
        Path file = Path.of("target", "runtime-classpath.txt");
        if (!Files.exists(file)) {
            throw new IllegalStateException(file + " is missing: the build writes it (maven-dependency-plugin build-classpath)");
        }
        return List.of(Files.readString(file, StandardCharsets.UTF_8).strip().split(File.pathSeparator));
    }

    /**
     * Runs the probe in {@code dir} with only {@code env} as its environment ({@code HOME} points into {@code dir},
     * so no user configuration is read) and returns what it did.
     *
     * @param expectedAuthorization the {@code Authorization} header the probe should get for {@code mlflow}
     */
    public static Run run(Path dir, Map<String, String> env, URI mlflow, String expectedAuthorization)
            throws IOException, InterruptedException {
        Path probe = dir.resolve("probe");
        String rel = IsolationProbe.class.getName().replace('.', '/') + ".class";
        Files.createDirectories(probe.resolve(rel).getParent());
        try (InputStream in = IsolationProbe.class.getClassLoader().getResourceAsStream(rel)) {
            if (in == null) {
                throw new IllegalStateException("cannot read " + rel);
            }
            Files.copy(in, probe.resolve(rel));
        }
        List<String> cp = new ArrayList<>(List.of(probe.toString(), Path.of("target", "classes").toAbsolutePath().toString()));
        cp.addAll(runtimeClassPath());
        Path log = dir.resolve("classes.log");
        Path work = Files.createDirectories(dir.resolve("work")); // no .env here
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:off",
                "-Xlog:class+load=info:file=" + log, "-cp", String.join(File.pathSeparator, cp), IsolationProbe.class.getName(),
                mlflow.toString());
        pb.directory(work.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("HOME", work.toString());
        pb.environment().putAll(env);
        pb.environment().put("PROBE_EXPECTED", expectedAuthorization);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the probe JVM did not finish within 2 minutes: " + out);
        }
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            int i = line.indexOf("][class,load] ");
            if (i >= 0) {
                classes.add(line.substring(i + "][class,load] ".length()).split(" ")[0]);
            }
        }
        return new Run(p.exitValue(), out, classes);
    }
}
