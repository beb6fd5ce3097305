package io.github.mlflowsecretsauth.testkit.vault;

/**
 * Namespace path arithmetic: normalising {@code "/team-a/"} to {@code "team-a"} and relating a
 * token's namespace to a request's.
 *
 * <p>Thread-safe: stateless.
 */
final class Namespaces {

    private Namespaces() {}

    /** Strips surrounding slashes; {@code null} and blank give the root namespace {@code ""}. */
    static String normalize(String namespace) {
        if (namespace == null) {
            return "";
        }
        String trimmed = namespace.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }

    /** {@code child} joined under {@code parent}. */
    static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "/" + child;
    }

    /**
     * The path prefix that leads from {@code ancestor} to {@code namespace} ({@code "team-a/"} from
     * the root to team-a, {@code ""} for the same namespace), or {@code null} if {@code ancestor} is
     * neither {@code namespace} nor one of its parents.
     */
    static String relativePrefix(String ancestor, String namespace) {
        if (ancestor.equals(namespace)) {
            return "";
        }
        if (ancestor.isEmpty()) {
            return namespace + "/";
        }
        if (namespace.startsWith(ancestor + "/")) {
            return namespace.substring(ancestor.length() + 1) + "/";
        }
        return null;
    }
}
