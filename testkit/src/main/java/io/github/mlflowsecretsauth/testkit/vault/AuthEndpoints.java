package io.github.mlflowsecretsauth.testkit.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Token endpoints: {@code auth/approle/login}, {@code auth/token/lookup-self} and
 * {@code auth/token/renew-self}, with the bodies and error messages of Vault's AppRole and token
 * auth method API documentation (and source: "invalid role or secret ID", "lease is not
 * renewable", "invalid lease ID").
 *
 * <p>Thread-safe: keeps only a reference to the thread-safe token store.
 */
final class AuthEndpoints {

    private final TokenStore tokens;

    AuthEndpoints(TokenStore tokens) {
        this.tokens = tokens;
    }

    /** {@code POST /v1/auth/approle/login} with {@code {"role_id":..,"secret_id":..}}; no token needed. */
    Reply appRoleLogin(VaultCall call, NamespaceState namespace) {
        if (!call.isWrite()) {
            return Reply.methodNotAllowed();
        }
        ObjectNode body = call.json();
        String roleId = body.path("role_id").asText("").strip();
        if (roleId.isEmpty()) {
            return Reply.error(400, "missing role_id");
        }
        NamespaceState.AppRole role = namespace.appRole(roleId);
        if (role == null) {
            return Reply.error(400, "invalid role or secret ID");
        }
        String secretId = body.path("secret_id").asText("").strip();
        if (secretId.isEmpty()) {
            return Reply.error(400, "missing secret_id");
        }
        if (!secretId.equals(role.secretId())) {
            return Reply.error(400, "invalid role or secret ID");
        }
        TokenSpec spec = role.tokenSpec();
        TokenEntry entry = tokens.issue(spec, "auth/approle/login", "approle",
                Map.of("role_name", role.name()), true);
        return Reply.envelope().auth(authBlock(entry, entry.creationTtl.getSeconds())).reply(200);
    }

    /** {@code GET /v1/auth/token/lookup-self}. */
    Reply lookupSelf(VaultCall call) {
        if (!call.isRead() && !call.isWrite()) {
            return Reply.methodNotAllowed();
        }
        TokenEntry token = call.token();
        Instant now = call.now();
        Instant expires = token.expireTime();
        Map<String, Object> data = new TreeMap<>();
        data.put("accessor", token.accessor);
        data.put("creation_time", token.issueTime.getEpochSecond());
        data.put("creation_ttl", token.creationTtl.getSeconds());
        data.put("display_name", token.displayName);
        data.put("entity_id", "");
        data.put("expire_time", expires == null ? null : expires.toString());
        data.put("explicit_max_ttl", token.explicitMaxTtl.getSeconds());
        data.put("id", token.id);
        data.put("issue_time", token.issueTime.toString());
        data.put("meta", token.meta);
        data.put("num_uses", 0);
        data.put("orphan", token.orphan);
        data.put("path", token.path);
        data.put("policies", token.policies);
        data.put("renewable", token.renewable);
        data.put("ttl", token.ttlSeconds(now));
        data.put("type", "service");
        return Reply.envelope().data(data).mountType("token").reply(200);
    }

    /** {@code POST /v1/auth/token/renew-self} with optional {@code {"increment":"1h"}} (or seconds). */
    Reply renewSelf(VaultCall call) {
        if (!call.isWrite()) {
            return Reply.methodNotAllowed();
        }
        Duration increment;
        try {
            increment = Durations.parse(call.json().get("increment"));
        } catch (IllegalArgumentException e) {
            return Reply.error(400, "invalid increment: " + e.getMessage());
        }
        TokenEntry token = call.token();
        if (!token.hasLease()) {
            return Reply.error(400, "invalid lease ID");
        }
        if (!token.renewable) {
            return Reply.error(400, "lease is not renewable");
        }
        TokenEntry.Renewal renewal = token.renew(call.now(), increment);
        List<String> warnings = renewal.cappedAt() == null ? List.of() : List.of(String.format(
                "TTL of \"%s\" exceeded the effective max_ttl of \"%s\"; TTL value is capped accordingly",
                Durations.goString(renewal.requested()), Durations.goString(renewal.cappedAt())));
        return Reply.envelope().auth(authBlock(token, renewal.granted().getSeconds())).warnings(warnings)
                .reply(200);
    }

    /** {@code POST /v1/auth/token/revoke-self}: the token is gone at once; 204 as Vault answers. */
    Reply revokeSelf(VaultCall call) {
        if (!call.isWrite()) {
            return Reply.methodNotAllowed();
        }
        tokens.revoke(call.token().id);
        return Reply.noContent();
    }

    /** The {@code auth} object of a login or renewal response. */
    static Map<String, Object> authBlock(TokenEntry token, long leaseSeconds) {
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("client_token", token.id);
        auth.put("accessor", token.accessor);
        auth.put("policies", token.policies);
        auth.put("token_policies", token.policies);
        auth.put("metadata", token.meta);
        auth.put("lease_duration", leaseSeconds);
        auth.put("renewable", token.renewable);
        auth.put("entity_id", "");
        auth.put("token_type", "service");
        auth.put("orphan", token.orphan);
        auth.put("mfa_requirement", null);
        auth.put("num_uses", 0);
        return auth;
    }
}
