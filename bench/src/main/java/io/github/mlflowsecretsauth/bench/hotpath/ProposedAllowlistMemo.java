package io.github.mlflowsecretsauth.bench.hotpath;

import io.github.mlflowsecretsauth.allowlist.HostAllowlist;

import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A prototype of the change proposed for {@link HostAllowlist#allows(URI)}: memoise the decision per
 * scheme, then per raw authority, using the strings {@link URI} already holds, instead of building
 * {@code scheme + "://" + authority} on every call. Same decisions (a miss asks the real allowlist);
 * exists only so the benchmark can show the expected effect. Thread-safe.
 */
final class ProposedAllowlistMemo {
    private static final int MEMO_LIMIT = 4096;

    private final HostAllowlist allowlist;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Boolean>> memo = new ConcurrentHashMap<>();

    ProposedAllowlistMemo(HostAllowlist allowlist) {
        this.allowlist = allowlist;
    }

    boolean allows(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority == null || !allowlist.isRestricted()) {
            return allowlist.allows(uri);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        ConcurrentHashMap<String, Boolean> byAuthority = memo.get(scheme);
        if (byAuthority != null) {
            Boolean known = byAuthority.get(authority);
            if (known != null) {
                return known;
            }
        } else {
            byAuthority = memo.computeIfAbsent(scheme, k -> new ConcurrentHashMap<>());
        }
        boolean decision = allowlist.allows(uri);
        if (byAuthority.size() >= MEMO_LIMIT) {
            byAuthority.clear();
        }
        byAuthority.put(authority, decision);
        return decision;
    }
}
