package io.github.mlflowsecretsauth.testkit.vault;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Vault endpoint answers: an HTTP status and a JSON body ({@code null} for no body), with
 * factories for Vault's two body shapes, the error list {@code {"errors":[...]}} and the response
 * envelope {@code {"request_id":..,"lease_id":"",..,"data":..,"auth":..}}.
 *
 * <p>Thread-safe: immutable once built (the body maps are not shared).
 */
record Reply(int status, Object body) {

    static final String PERMISSION_DENIED = "permission denied";
    /** The text real Vault puts in a 403 for a path the token's policies do not cover. */
    static final String POLICY_DENIED = "1 error occurred:\n\t* permission denied\n\n";
    static final String UNSUPPORTED_OPERATION = "1 error occurred:\n\t* unsupported operation\n\n";

    /** {@code {"errors":[messages...]}} with the given status. */
    static Reply error(int status, String... messages) {
        return new Reply(status, Map.of("errors", List.of(messages)));
    }

    static Reply permissionDenied() {
        return error(403, PERMISSION_DENIED);
    }

    static Reply policyDenied() {
        return error(403, POLICY_DENIED);
    }

    static Reply methodNotAllowed() {
        return error(405, UNSUPPORTED_OPERATION);
    }

    /** {@code 404 {"errors":[]}}: what Vault answers for a secret that is not there. */
    static Reply notFound() {
        return error(404);
    }

    static Reply noContent() {
        return new Reply(204, null);
    }

    /** A 200 envelope carrying {@code data}. */
    static Reply data(Object data) {
        return new Reply(200, envelope().data(data).build());
    }

    static Envelope envelope() {
        return new Envelope();
    }

    /** Builder of Vault's response envelope; field order follows real Vault's output. */
    static final class Envelope {
        private Object data;
        private Map<String, Object> auth;
        private List<String> warnings;
        private long leaseDuration;
        private String mountType;

        Envelope data(Object value) {
            this.data = value;
            return this;
        }

        Envelope auth(Map<String, Object> value) {
            this.auth = value;
            return this;
        }

        Envelope warnings(List<String> value) {
            this.warnings = value == null || value.isEmpty() ? null : List.copyOf(value);
            return this;
        }

        Envelope leaseDuration(long seconds) {
            this.leaseDuration = seconds;
            return this;
        }

        Envelope mountType(String value) {
            this.mountType = value;
            return this;
        }

        Map<String, Object> build() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("request_id", Ids.uuid());
            body.put("lease_id", "");
            body.put("renewable", false);
            body.put("lease_duration", leaseDuration);
            body.put("data", data);
            body.put("wrap_info", null);
            body.put("warnings", warnings);
            body.put("auth", auth);
            if (mountType != null) {
                body.put("mount_type", mountType);
            }
            return body;
        }

        Reply reply(int status) {
            return new Reply(status, build());
        }
    }
}
