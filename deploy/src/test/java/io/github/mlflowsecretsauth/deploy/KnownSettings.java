package io.github.mlflowsecretsauth.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The setting names the project's code knows: every upper-case, underscore-separated string constant in the
 * modules' main sources ({@code "MLFLOW_TRACKING_URI"}, {@code "VAULT_ADDR"}, ...).
 */
final class KnownSettings {
    private static final Pattern NAME = Pattern.compile("\"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\"");

    private KnownSettings() {
    }

    /** The names found in the code's main sources alone. */
    static Set<String> inCode() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Repo.root())) {
            files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/") && !p.toString().contains("/target/"))
                    .forEach(p -> {
                        Matcher m = NAME.matcher(read(p));
                        while (m.find()) {
                            names.add(m.group(1));
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static Set<String> all() {
        return inCode();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
