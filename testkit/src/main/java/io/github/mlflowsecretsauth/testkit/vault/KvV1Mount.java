package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * KV version 1: {@code GET/POST/PUT/DELETE /v1/<mount>/<path>} with the secret's fields as the
 * flat body. A read answers the envelope with {@code data} the stored fields and
 * {@code lease_duration} 2764800 (768h, Vault's default) or the secret's own {@code ttl} field.
 *
 * <p>Thread-safe: storage is guarded by this mount's monitor; stored objects are copies.
 */
final class KvV1Mount extends KvMount {

    private static final long DEFAULT_LEASE_SECONDS = Duration.ofHours(768).getSeconds();

    private final Map<String, ObjectNode> secrets = new HashMap<>();

    KvV1Mount(String path) {
        super(path, 1);
    }

    @Override
    Reply handle(VaultCall call, String relative) {
        if (call.isRead()) {
            ObjectNode data = read(relative);
            if (data == null) {
                return Reply.notFound();
            }
            return Reply.envelope().data(data).leaseDuration(leaseSeconds(data)).mountType("kv").reply(200);
        }
        if (call.isWrite()) {
            ObjectNode body = call.json();
            if (body.isEmpty()) {
                return Reply.error(400, "missing data fields");
            }
            put(relative, body, call.now());
            return Reply.noContent();
        }
        if (call.isDelete()) {
            delete(relative);
            return Reply.noContent();
        }
        return Reply.methodNotAllowed();
    }

    @Override
    synchronized int put(String relative, ObjectNode data, Instant now) {
        secrets.put(relative, data.deepCopy());
        return 0;
    }

    @Override
    synchronized boolean delete(String relative) {
        return secrets.remove(relative) != null;
    }

    private synchronized ObjectNode read(String relative) {
        ObjectNode data = secrets.get(relative);
        return data == null ? null : data.deepCopy();
    }

    private static long leaseSeconds(ObjectNode data) {
        JsonNode ttl = data.has("ttl") ? data.get("ttl") : data.get("lease");
        try {
            Duration parsed = Durations.parse(ttl);
            return parsed == null ? DEFAULT_LEASE_SECONDS : parsed.getSeconds();
        } catch (IllegalArgumentException e) {
            return DEFAULT_LEASE_SECONDS;
        }
    }
}
