package io.github.mlflowsecretsauth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists what a class path really holds: the entries (classes and resources) of its jars and class directories
 * whose path starts with a prefix. The artifact tests use it to show that no testkit class reaches a user's
 * class path or the CLI's jar, by reading the files themselves rather than trusting dependency names.
 */
public final class ClassPathScan {
    private ClassPathScan() {
    }

    /**
     * Fails unless the class path holds the in-memory tracking store (so the scan is known to see the class path) and
     * no testkit class, by entry and by artifact name.
     */
    public static void assertTrackingStoreWithoutTestkit(List<String> classPath, String what) {
        assertThat(entriesUnder(classPath, "io/github/mlflowsecretsauth/tracking/memory/MlflowServer.class"))
                .as("the in-memory tracking store on %s", what).hasSize(1);
        assertThat(entriesUnder(classPath, "io/github/mlflowsecretsauth/testkit/")).as("testkit entries on %s", what).isEmpty();
        assertThat(classPath).as(what).noneMatch(element -> element.contains("mlflow-secrets-auth-testkit")
                || element.replace('\\', '/').contains("/testkit/target/"));
    }

    /** Every {@code element!entry} of the class path whose entry starts with {@code prefix}, such as {@code io/github/x/}. */
    public static List<String> entriesUnder(List<String> classPath, String prefix) {
        List<String> found = new ArrayList<>();
        for (String element : classPath) {
            if (element.isBlank()) {
                continue;
            }
            Path path = Path.of(element);
            for (String entry : entriesUnder(path, prefix)) {
                found.add(element + "!" + entry);
            }
        }
        return Collections.unmodifiableList(found);
    }

    /** The entries of one jar or class directory that start with {@code prefix} ({@code /}-separated); none if it is missing. */
    public static List<String> entriesUnder(Path element, String prefix) {
        try {
            if (Files.isDirectory(element)) {
                try (Stream<Path> files = Files.walk(element)) {
                    return files.filter(Files::isRegularFile)
                            .map(f -> element.relativize(f).toString().replace('\\', '/'))
                            .filter(name -> name.startsWith(prefix))
                            .sorted()
                            .toList();
                }
            }
            if (!Files.isRegularFile(element)) {
                return List.of();
            }
            try (JarFile jar = new JarFile(element.toFile())) {
                return jar.stream().filter(e -> !e.isDirectory()).map(JarEntry::getName)
                        .filter(name -> name.startsWith(prefix)).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class path element " + element, e);
        }
    }
}
