package io.github.mlflowsecretsauth.testkit.vault;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code sys/} endpoints a client needs: {@code sys/health},
 * {@code sys/internal/ui/mounts[/<path>]} (how clients learn a mount's KV version) and
 * {@code sys/mounts} (what admin-level clients use for the same).
 *
 * <p>For a single mount, a path that matches no mount, or a mount the token's policies grant
 * nothing under, answers 403 with Vault's "preflight capability check returned 403" error, as the
 * real {@code pathInternalUIMountRead} does.
 *
 * <p>Thread-safe: stateless apart from the immutable cluster id.
 */
final class SysEndpoints {

    static final String VERSION = "1.15.0-testkit";

    private final String clusterId = Ids.uuid();

    /** {@code GET /v1/sys/health}: 200 when unsealed, 503 when sealed. */
    Reply health(boolean sealed, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("initialized", true);
        body.put("sealed", sealed);
        body.put("standby", sealed);
        body.put("performance_standby", false);
        body.put("replication_performance_mode", "disabled");
        body.put("replication_dr_mode", "disabled");
        body.put("server_time_utc", now.getEpochSecond());
        body.put("version", VERSION);
        body.put("cluster_name", "vault-cluster-testkit");
        body.put("cluster_id", clusterId);
        return new Reply(sealed ? 503 : 200, body);
    }

    /** {@code GET /v1/sys/internal/ui/mounts}: the visible mounts (unauthenticated). */
    Reply listMounts(NamespaceState namespace) {
        Map<String, Object> secret = new TreeMap<>();
        for (KvMount mount : namespace.mounts()) {
            Map<String, Object> entry = new TreeMap<>();
            entry.put("description", "key/value secret storage");
            entry.put("options", Map.of("version", Integer.toString(mount.version)));
            entry.put("type", "kv");
            secret.put(mount.path, entry);
        }
        Map<String, Object> auth = new TreeMap<>();
        auth.put("approle/", Map.of("description", "", "options", Map.of(), "type", "approle"));
        auth.put("token/", Map.of("description", "token based credentials", "options", Map.of(), "type", "token"));
        Map<String, Object> data = new TreeMap<>();
        data.put("auth", auth);
        data.put("secret", secret);
        return Reply.data(data);
    }

    /**
     * {@code GET /v1/sys/mounts} (needs a token whose policy covers {@code sys/mounts}): every
     * mount with its full description, under {@code data} and, as real Vault does for this route,
     * also at the top level of the body.
     */
    Reply allMounts(VaultCall call, NamespaceState namespace) {
        if (!call.isRead()) {
            return Reply.methodNotAllowed();
        }
        Map<String, Object> mounts = new TreeMap<>();
        for (KvMount mount : namespace.mounts()) {
            Map<String, Object> info = mount.describe();
            info.remove("path");
            mounts.put(mount.path, info);
        }
        mounts.put("cubbyhole/", builtin("cubbyhole", "per-token private secret storage"));
        mounts.put("identity/", builtin("identity", "identity store"));
        mounts.put("sys/", builtin("system", "system endpoints used for control, policy and debugging"));
        Map<String, Object> body = new LinkedHashMap<>(mounts);
        body.putAll(Reply.envelope().data(mounts).build());
        return new Reply(200, body);
    }

    private static Map<String, Object> builtin(String type, String description) {
        Map<String, Object> info = new TreeMap<>();
        info.put("description", description);
        info.put("local", false);
        info.put("options", null);
        info.put("seal_wrap", false);
        info.put("type", type);
        return info;
    }

    /**
     * {@code GET /v1/sys/internal/ui/mounts/<path>}: the mount holding {@code path}.
     *
     * @param policyPrefix what leads from the token's namespace to the request's ({@code ""} if same)
     */
    Reply mount(VaultCall call, NamespaceState namespace, String path, String policyPrefix) {
        if (!call.isRead()) {
            return Reply.methodNotAllowed();
        }
        String sanitized = Namespaces.normalize(path) + "/";
        Reply denied = Reply.error(403, "preflight capability check returned 403, please ensure client's"
                + " policies grant access to path \"" + sanitized + "\"");
        NamespaceState.MountMatch match = namespace.findMount(sanitized);
        if (match == null) {
            return denied;
        }
        TokenEntry token = call.token();
        if (!token.root && !PathGlob.grantsSomethingUnder(token.allowedPaths, policyPrefix + match.mount().path)) {
            return denied;
        }
        return Reply.envelope().data(match.mount().describe()).reply(200);
    }
}
