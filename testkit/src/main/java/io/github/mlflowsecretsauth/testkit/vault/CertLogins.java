package io.github.mlflowsecretsauth.testkit.vault;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The testkit Vault's {@code cert} auth mounts (root namespace): {@code POST auth/<mount>/login}, with an optional
 * {@code {"name": role}}, maps the client certificate of the request's TLS connection to a {@link CertRole} (the
 * named one, else the first that trusts it) and issues that role's token, with the answers of Vault's API
 * documentation: 400 {@code tls connection required} without TLS, 400 {@code client certificate must be supplied}
 * without a certificate, 400 {@code invalid certificate or no client certificate supplied} when no role trusts it.
 *
 * <p>Thread-safe: concurrent maps of immutable roles.
 */
final class CertLogins {
    static final String INVALID = "invalid certificate or no client certificate supplied";

    private final Map<String, Map<String, CertRole>> mounts = new ConcurrentHashMap<>();
    private final TokenStore tokens;

    CertLogins(TokenStore tokens) {
        this.tokens = tokens;
    }

    void addRole(String mount, CertRole role) {
        mounts.computeIfAbsent(mount, k -> new ConcurrentSkipListMap<>()).put(role.name(), role);
    }

    /** The answer to {@code auth/<rest>} if {@code rest} is the login of an enabled cert mount. */
    Optional<Reply> handle(VaultCall call, String rest, RecordedRequest request) {
        for (Map.Entry<String, Map<String, CertRole>> e : mounts.entrySet()) {
            if (rest.equals("auth/" + e.getKey() + "/login")) {
                return Optional.of(call.isWrite() ? login(call, e.getKey(), e.getValue(), request) : Reply.methodNotAllowed());
            }
        }
        return Optional.empty();
    }

    private Reply login(VaultCall call, String mount, Map<String, CertRole> roles, RecordedRequest request) {
        if (!request.tls()) {
            return Reply.error(400, "tls connection required");
        }
        List<X509Certificate> chain = request.clientCertificates();
        if (chain.isEmpty()) {
            return Reply.error(400, "client certificate must be supplied");
        }
        String name = call.json().path("name").asText("").toLowerCase(Locale.ROOT);
        List<CertRole> candidates = name.isEmpty() ? List.copyOf(roles.values())
                : Optional.ofNullable(roles.get(name)).map(List::of).orElse(List.of());
        X509Certificate leaf = chain.get(0);
        String commonName = commonName(leaf);
        for (CertRole role : candidates) {
            if (trusts(role, leaf, call.now()) && (role.allowedCommonNames().isEmpty() || role.allowedCommonNames().contains(commonName))) {
                TokenEntry entry = tokens.issue(role.tokenSpec(), "auth/" + mount + "/login", mount + "-" + role.name(),
                        Map.of("cert_name", role.name(), "common_name", commonName,
                                "serial_number", leaf.getSerialNumber().toString()), true);
                return Reply.envelope().auth(AuthEndpoints.authBlock(entry, entry.creationTtl.getSeconds())).reply(200);
            }
        }
        return Reply.error(400, INVALID);
    }

    /** The leaf is one of the role's certificates, or was signed by one of them; and it is valid {@code now}. */
    private static boolean trusts(CertRole role, X509Certificate leaf, Instant now) {
        try {
            leaf.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return false;
        }
        for (X509Certificate t : role.trusted()) {
            if (t.equals(leaf)) {
                return true;
            }
            if (t.getSubjectX500Principal().equals(leaf.getIssuerX500Principal())) {
                try {
                    leaf.verify(t.getPublicKey());
                    return true;
                } catch (GeneralSecurityException e) {
                    // another CA with the same name: not this one
                }
            }
        }
        return false;
    }

    private static String commonName(X509Certificate c) {
        try {
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            // no common name
        }
        return "";
    }
}
