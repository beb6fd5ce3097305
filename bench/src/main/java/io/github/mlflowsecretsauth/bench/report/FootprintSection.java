package io.github.mlflowsecretsauth.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders the footprint section from each module's {@code mvn dependency:list -DincludeScope=runtime
 * -DoutputAbsoluteArtifactFilename=true} output: how many jars a user of the module gets on the
 * class path besides the module's own, and their size. Arguments name {@code module=deps.txt=own.jar}.
 *
 * <p>Usage: {@code FootprintSection OUT.md module=deps.txt=own.jar... [shaded=LABEL=JAR...]}.
 */
public final class FootprintSection {
    private static final Pattern DEP = Pattern.compile("^\\s+([^:\\s]+):([^:\\s]+):([^:\\s]+)(?::[^:\\s]+)?:([^:\\s]+):(compile|runtime)(?::(/\\S+))?.*$");

    public static void main(String[] args) throws IOException {
        Markdown md = new Markdown();
        md.table("module", "own jar", "runtime dependency jars", "their size", "total on the class path", "largest dependencies");
        StringBuilder shaded = new StringBuilder();
        for (int i = 1; i < args.length; i++) {
            String[] parts = args[i].split("=", 3);
            if (parts[0].equals("shaded")) {
                shaded.append("`").append(parts[1]).append("` is ").append(mib(Files.size(Path.of(parts[2])))).append("; ");
                continue;
            }
            long own = Files.size(Path.of(parts[2]));
            List<Long> sizes;
            List<String> largest;
            try (Stream<String> lines = Files.lines(Path.of(parts[1]))) {
                List<Matcher> deps = lines.map(DEP::matcher).filter(Matcher::matches).toList();
                sizes = deps.stream().map(m -> size(Path.of(m.group(6)))).toList();
                largest = deps.stream().sorted((a, b) -> Long.compare(size(Path.of(b.group(6))), size(Path.of(a.group(6)))))
                        .limit(3).map(m -> m.group(2) + " " + mib(size(Path.of(m.group(6))))).toList();
            }
            long total = sizes.stream().mapToLong(Long::longValue).sum();
            md.row(parts[0], mib(own), sizes.size(), mib(total), mib(own + total), String.join(", ", largest));
        }
        if (shaded.length() > 0) {
            md.line("Runnable (shaded) jars: " + shaded.substring(0, shaded.length() - 2) + ".");
            md.line("");
        }
        md.writeTo(Path.of(args[0]));
    }

    private static String mib(long bytes) {
        return Stats.fmt(bytes < (1 << 20) ? "%.2f MiB" : "%.1f MiB", bytes / (double) (1 << 20));
    }

    private static long size(Path p) {
        try {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
                }
            }
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
