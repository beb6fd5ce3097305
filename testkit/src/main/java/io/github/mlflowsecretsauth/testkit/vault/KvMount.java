package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A KV secrets engine mounted at a path such as {@code secret/}: its mount description (what
 * {@code sys/internal/ui/mounts} reports) and the version-specific request handling and storage
 * of {@link KvV1Mount} and {@link KvV2Mount}.
 *
 * <p>Thread-safe: subclasses guard their storage with their own monitor.
 */
abstract class KvMount {

    final String path;
    final int version;
    private final String accessor = "kv_" + Ids.random(8).toLowerCase(java.util.Locale.ROOT);
    private final String uuid = Ids.uuid();

    KvMount(String path, int version) {
        this.path = path;
        this.version = version;
    }

    /** A new, empty mount; {@code path} must already end in {@code /}. */
    static KvMount create(String path, int version) {
        return version == 1 ? new KvV1Mount(path) : new KvV2Mount(path);
    }

    /** {@code "secret"} and {@code "/secret/"} both become {@code "secret/"}. */
    static String normalizePath(String mount) {
        String normalized = Namespaces.normalize(mount);
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException("mount path must not be empty");
        }
        return normalized + "/";
    }

    /** The mount as {@code sys/internal/ui/mounts/<path>} describes it (keys sorted as Go does). */
    Map<String, Object> describe() {
        Map<String, Object> config = new TreeMap<>();
        config.put("default_lease_ttl", 0);
        config.put("force_no_cache", false);
        config.put("max_lease_ttl", 0);
        Map<String, Object> info = new TreeMap<>();
        info.put("accessor", accessor);
        info.put("config", config);
        info.put("description", "key/value secret storage");
        info.put("external_entropy_access", false);
        info.put("local", false);
        info.put("options", Map.of("version", Integer.toString(version)));
        info.put("path", path);
        info.put("plugin_version", "");
        info.put("running_plugin_version", "v0.16.1+builtin");
        info.put("running_sha256", "");
        info.put("seal_wrap", false);
        info.put("type", "kv");
        info.put("uuid", uuid);
        return info;
    }

    /** Answers an HTTP request for {@code relative}, the part of the path after the mount. */
    abstract Reply handle(VaultCall call, String relative);

    /** Stores data at {@code relative} (a new version for KV v2); returns the version (0 for v1). */
    abstract int put(String relative, ObjectNode data, Instant now);

    /** Removes the secret and all its versions; {@code false} if there was none. */
    abstract boolean delete(String relative);
}
