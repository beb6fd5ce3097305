package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * KV version 2 (versioned): {@code /v1/<mount>/data/<path>} reads ({@code ?version=N}), writes
 * ({@code {"data":{..},"options":{"cas":N}}}) and soft-deletes; {@code /v1/<mount>/metadata/<path>}
 * reads and deletes all versions; {@code /v1/<mount>/config} reads the engine config. Any other
 * path inside the mount answers 404 with Vault's "Invalid path for a versioned K/V secrets engine"
 * warning. Shapes follow Vault's KV v2 API documentation.
 *
 * <p>Thread-safe: storage is guarded by this mount's monitor; stored objects are copies.
 */
final class KvV2Mount extends KvMount {

    private static final String INVALID_PATH = "Invalid path for a versioned K/V secrets engine. See the API docs"
            + " for the appropriate API endpoints to use. If using the Vault CLI, use 'vault kv %s' for this operation.";

    private static final class Version {
        final ObjectNode data;
        final Instant created;
        Instant deleted;

        Version(ObjectNode data, Instant created) {
            this.data = data;
            this.created = created;
        }
    }

    private static final class Secret {
        final List<Version> versions = new java.util.ArrayList<>();
        final Instant created;
        Instant updated;

        Secret(Instant created) {
            this.created = created;
            this.updated = created;
        }
    }

    private final Map<String, Secret> secrets = new HashMap<>();

    KvV2Mount(String path) {
        super(path, 2);
    }

    @Override
    Reply handle(VaultCall call, String relative) {
        if (relative.startsWith("data/")) {
            return handleData(call, relative.substring("data/".length()));
        }
        if (relative.startsWith("metadata/")) {
            return handleMetadata(call, relative.substring("metadata/".length()));
        }
        if (relative.equals("config") && call.isRead()) {
            Map<String, Object> config = new TreeMap<>();
            config.put("cas_required", false);
            config.put("delete_version_after", "0s");
            config.put("max_versions", 0);
            return Reply.data(config);
        }
        if (call.isRead() || call.isWrite()) {
            String verb = call.isRead() ? "get" : "put";
            return Reply.envelope().warnings(List.of(String.format(INVALID_PATH, verb))).reply(404);
        }
        return Reply.methodNotAllowed();
    }

    private Reply handleData(VaultCall call, String key) {
        if (key.isEmpty()) {
            return Reply.notFound();
        }
        if (call.isRead()) {
            int wanted = parseVersion(call.query().get("version"));
            return read(key, wanted);
        }
        if (call.isWrite()) {
            ObjectNode body = call.json();
            JsonNode data = body.get("data");
            if (!(data instanceof ObjectNode)) {
                return Reply.error(400, "no data provided");
            }
            JsonNode cas = body.path("options").get("cas");
            return write(key, (ObjectNode) data, cas == null ? null : cas.asInt(), call.now());
        }
        if (call.isDelete()) {
            softDeleteLatest(key, call.now());
            return Reply.noContent();
        }
        return Reply.methodNotAllowed();
    }

    private Reply handleMetadata(VaultCall call, String key) {
        if (call.isRead()) {
            Map<String, Object> metadata = metadata(key);
            return metadata == null ? Reply.notFound() : Reply.data(metadata);
        }
        if (call.isDelete()) {
            delete(key);
            return Reply.noContent();
        }
        return Reply.methodNotAllowed();
    }

    private synchronized Reply read(String key, int wanted) {
        Secret secret = secrets.get(key);
        int number = wanted > 0 ? wanted : secret == null ? 0 : secret.versions.size();
        if (secret == null || number > secret.versions.size()) {
            return Reply.notFound();
        }
        Version version = secret.versions.get(number - 1);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data", version.deleted == null ? version.data.deepCopy() : null);
        data.put("metadata", versionMetadata(version, number));
        return Reply.envelope().data(data).mountType("kv").reply(version.deleted == null ? 200 : 404);
    }

    private synchronized Reply write(String key, ObjectNode data, Integer cas, Instant now) {
        Secret secret = secrets.get(key);
        int current = secret == null ? 0 : secret.versions.size();
        if (cas != null && cas != current) {
            return Reply.error(400, "check-and-set parameter did not match the current version");
        }
        int number = put(key, data, now);
        return Reply.envelope().data(versionMetadata(secrets.get(key).versions.get(number - 1), number))
                .mountType("kv").reply(200);
    }

    @Override
    synchronized int put(String relative, ObjectNode data, Instant now) {
        Secret secret = secrets.computeIfAbsent(relative, key -> new Secret(now));
        secret.versions.add(new Version(data.deepCopy(), now));
        secret.updated = now;
        return secret.versions.size();
    }

    @Override
    synchronized boolean delete(String relative) {
        return secrets.remove(relative) != null;
    }

    private synchronized void softDeleteLatest(String key, Instant now) {
        Secret secret = secrets.get(key);
        if (secret != null && !secret.versions.isEmpty()) {
            Version latest = secret.versions.get(secret.versions.size() - 1);
            if (latest.deleted == null) {
                latest.deleted = now;
            }
        }
    }

    private synchronized Map<String, Object> metadata(String key) {
        Secret secret = secrets.get(key);
        if (secret == null) {
            return null;
        }
        Map<String, Object> versions = new TreeMap<>();
        for (int i = 0; i < secret.versions.size(); i++) {
            Map<String, Object> entry = versionMetadata(secret.versions.get(i), i + 1);
            entry.remove("version");
            entry.remove("custom_metadata");
            versions.put(Integer.toString(i + 1), entry);
        }
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("cas_required", false);
        metadata.put("created_time", secret.created.toString());
        metadata.put("current_version", secret.versions.size());
        metadata.put("custom_metadata", null);
        metadata.put("delete_version_after", "0s");
        metadata.put("max_versions", 0);
        metadata.put("oldest_version", 0);
        metadata.put("updated_time", secret.updated.toString());
        metadata.put("versions", versions);
        return metadata;
    }

    private static Map<String, Object> versionMetadata(Version version, int number) {
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("created_time", version.created.toString());
        metadata.put("custom_metadata", null);
        metadata.put("deletion_time", version.deleted == null ? "" : version.deleted.toString());
        metadata.put("destroyed", false);
        metadata.put("version", number);
        return metadata;
    }

    private static int parseVersion(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
