package io.github.mlflowsecretsauth.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from this module's directory (surefire's {@code basedir}). */
final class Repo {
    private Repo() {
    }

    static Path root() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path root = module.getParent();
        if (root == null || !Files.isRegularFile(root.resolve("pom.xml")) || !Files.isDirectory(root.resolve("core"))) {
            throw new IllegalStateException("run from the deploy module: " + module + " has no parent with core/ and pom.xml");
        }
        return root;
    }

    static Path dockerfile() {
        return root().resolve("deploy/docker/Dockerfile");
    }

    static Path kubernetes() {
        return root().resolve("deploy/kubernetes");
    }
}
