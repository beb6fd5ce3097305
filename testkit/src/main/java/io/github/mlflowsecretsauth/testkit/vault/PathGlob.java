package io.github.mlflowsecretsauth.testkit.vault;

import java.util.List;

/**
 * Vault ACL path matching: a trailing {@code *} makes a prefix match, {@code +} stands for exactly
 * one path segment, anything else must match exactly.
 *
 * <p>Thread-safe: stateless.
 */
final class PathGlob {

    private PathGlob() {}

    /** Whether any glob matches {@code path}; an empty list matches everything. */
    static boolean anyMatches(List<String> globs, String path) {
        if (globs.isEmpty()) {
            return true;
        }
        for (String glob : globs) {
            if (matches(glob, path)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code glob} matches {@code path}. */
    static boolean matches(String glob, String path) {
        boolean prefix = glob.endsWith("*");
        String pattern = prefix ? glob.substring(0, glob.length() - 1) : glob;
        if (!pattern.contains("+")) {
            return prefix ? path.startsWith(pattern) : path.equals(pattern);
        }
        String[] patternParts = pattern.split("/", -1);
        String[] pathParts = path.split("/", -1);
        if (pathParts.length < patternParts.length || (!prefix && pathParts.length != patternParts.length)) {
            return false;
        }
        int last = patternParts.length - 1;
        for (int i = 0; i < patternParts.length; i++) {
            String want = patternParts[i];
            String have = pathParts[i];
            if (want.equals("+")) {
                continue;
            }
            boolean ok = prefix && i == last ? have.startsWith(want) : have.equals(want);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether some glob grants anything inside {@code mountPath} (such as {@code "secret/"}): the
     * check Vault makes before answering {@code sys/internal/ui/mounts/<path>}.
     */
    static boolean grantsSomethingUnder(List<String> globs, String mountPath) {
        if (globs.isEmpty()) {
            return true;
        }
        for (String glob : globs) {
            String literal = glob.endsWith("*") ? glob.substring(0, glob.length() - 1) : glob;
            int plus = literal.indexOf('+');
            if (plus >= 0) {
                literal = literal.substring(0, plus);
            }
            if (literal.startsWith(mountPath) || mountPath.startsWith(literal)) {
                return true;
            }
        }
        return false;
    }
}
