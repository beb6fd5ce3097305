package io.github.mlflowsecretsauth.mlflow.artifacts;

import java.nio.file.Path;

/**
 * Artifact paths: '/'-separated, relative, no {@code ..}, {@code .}, empty segments, backslashes or drive
 * letters, as MLflow's {@code validate_path_is_safe} demands. Checked before anything is sent or written, so a
 * hostile listing cannot make a download write outside its target directory.
 */
public final class ArtifactPaths {
    private ArtifactPaths() {
    }

    /** {@code path} without leading and trailing slashes, or {@link ArtifactException} naming it if unsafe. */
    public static String check(String path) {
        String p = path == null ? "" : path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (path != null && path.startsWith("/") && !p.isEmpty()) {
            throw unsafe(path, "it is absolute");
        }
        if (p.isEmpty()) {
            return "";
        }
        if (p.contains("\\") || p.indexOf('\0') >= 0 || p.matches("[A-Za-z]:.*")) {
            throw unsafe(path, "it contains a backslash, a NUL or a drive letter");
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw unsafe(path, "'..', '.' and empty segments are not allowed");
            }
        }
        return p;
    }

    /** {@code a/b} joined with {@code c}: either may be empty. */
    public static String join(String parent, String child) {
        if (parent.isEmpty()) {
            return child;
        }
        return child.isEmpty() ? parent : parent + "/" + child;
    }

    /** The local file for {@code artifactPath} under {@code dir}, checked to stay inside it. */
    static Path local(Path dir, String artifactPath) {
        Path base = dir.toAbsolutePath().normalize();
        String checked = check(artifactPath);
        Path target = checked.isEmpty() ? base : base.resolve(checked).normalize();
        if (!target.startsWith(base)) {
            throw unsafe(artifactPath, "it leaves " + dir);
        }
        return target;
    }

    private static ArtifactException unsafe(String path, String why) {
        return new ArtifactException("invalid artifact path '" + path + "': " + why);
    }
}
