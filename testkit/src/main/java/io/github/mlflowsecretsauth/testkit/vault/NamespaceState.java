package io.github.mlflowsecretsauth.testkit.vault;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything that lives inside one namespace: its KV mounts (with their secrets) and its AppRoles.
 *
 * <p>Thread-safe: the mount list is fixed at construction; the maps are concurrent and the
 * mounts guard their own storage.
 */
final class NamespaceState {

    /** A configured AppRole: credentials and the spec of the tokens it issues. */
    record AppRole(String name, String roleId, String secretId, TokenSpec tokenSpec) {}

    /** A mount found for a path, and the rest of the path inside it. */
    record MountMatch(KvMount mount, String relative) {}

    final String name;
    private final Map<String, KvMount> mounts = new ConcurrentHashMap<>();
    private final Map<String, AppRole> appRolesByRoleId = new ConcurrentHashMap<>();

    NamespaceState(String name, Map<String, Integer> mountVersions) {
        this.name = name;
        mountVersions.forEach((path, version) -> mounts.put(path, KvMount.create(path, version)));
    }

    /** The mount with the longest path that contains {@code logicalPath}, or {@code null}. */
    MountMatch findMount(String logicalPath) {
        String probe = logicalPath.endsWith("/") ? logicalPath : logicalPath + "/";
        KvMount best = null;
        for (KvMount mount : mounts.values()) {
            if (probe.startsWith(mount.path) && (best == null || mount.path.length() > best.path.length())) {
                best = mount;
            }
        }
        if (best == null) {
            return null;
        }
        String relative = logicalPath.length() > best.path.length() ? logicalPath.substring(best.path.length()) : "";
        return new MountMatch(best, relative);
    }

    /** Like {@link #findMount} but failing with a clear message, for the admin API. */
    MountMatch requireMount(String logicalPath) {
        MountMatch match = findMount(Namespaces.normalize(logicalPath));
        if (match == null || match.relative().isEmpty()) {
            throw new IllegalArgumentException("no KV mount holds '" + logicalPath + "' in namespace '" + name
                    + "'; mounts: " + List.copyOf(mounts.keySet()));
        }
        return match;
    }

    /** The mounts, in no particular order. */
    Iterable<KvMount> mounts() {
        return List.copyOf(mounts.values());
    }

    void addAppRole(AppRole role) {
        appRolesByRoleId.put(role.roleId(), role);
    }

    AppRole appRole(String roleId) {
        return appRolesByRoleId.get(roleId);
    }
}
