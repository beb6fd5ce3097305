package io.github.mlflowsecretsauth.provider.vault;

import io.github.mlflowsecretsauth.internal.HttpStatuses;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Finds where to read a KV secret, the way the Vault CLI does: ask
 * {@code sys/internal/ui/mounts/<path>} for the mount and its KV version, then read
 * {@code <mount>data/<rest>} (v2) or {@code <path>} (v1). Both {@code secret/x} and
 * {@code secret/data/x} work for v2. When the preflight is not allowed or not available, it falls
 * back to trying v2 under the first path segment, then v1. Stateless.
 */
final class KvLocator {
    private static final Logger LOG = LoggerFactory.getLogger(KvLocator.class);

    /** Where to read, and how to unwrap the answer. */
    record KvLocation(String apiPath, int version) {
    }

    private KvLocator() {
    }

    /** Candidate locations, best first. */
    static List<KvLocation> locate(VaultHttp http, String token, String path) {
        VaultHttp.Response r = http.get("sys/internal/ui/mounts/" + path, token);
        if (r.ok()) {
            JsonNode data = r.body().path("data");
            String mount = data.path("path").asText("");
            String version = data.path("options").path("version").asText("1");
            if (!mount.isEmpty() && path.startsWith(mount)) {
                String rest = path.substring(mount.length());
                if ("2".equals(version)) {
                    if (rest.startsWith("data/")) {
                        rest = rest.substring("data/".length());
                    }
                    LOG.debug("Vault mount {} is KV v2", mount);
                    return List.of(new KvLocation(mount + "data/" + rest, 2));
                }
                LOG.debug("Vault mount {} is KV v1", mount);
                return List.of(new KvLocation(path, 1));
            }
        }
        if (HttpStatuses.isTransient(r.status())) {
            throw new io.github.mlflowsecretsauth.error.BackendUnavailableException("Vault answered HTTP " + r.status()
                    + " to the mount lookup (" + r.errors(http.known()) + ")", null, true, r.retryAfter().orElse(null));
        }
        LOG.debug("Vault mount lookup answered HTTP {}; guessing the KV version", r.status());
        int slash = path.indexOf('/');
        String first = path.substring(0, slash + 1);
        String rest = path.substring(slash + 1);
        if (rest.startsWith("data/")) {
            return List.of(new KvLocation(path, 2), new KvLocation(path, 1));
        }
        return List.of(new KvLocation(first + "data/" + rest, 2), new KvLocation(path, 1));
    }
}
