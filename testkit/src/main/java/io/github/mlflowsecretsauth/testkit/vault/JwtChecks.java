package io.github.mlflowsecretsauth.testkit.vault;

import com.nimbusds.jwt.JWTClaimsSet;
import io.github.mlflowsecretsauth.testkit.jwt.TokenKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How the testkit Vault's {@code jwt} and {@code kubernetes} methods judge a login's JWT: the signature (by the
 * mount's {@link TokenKey}), {@code exp} and {@code nbf} against the server's clock, the audience, and the role's
 * bound claims. Each answer is the reason to refuse, or empty. Stateless.
 */
final class JwtChecks {

    private JwtChecks() {}

    static Optional<String> jwt(TokenKey key, JwtRole role, String jwt, Instant now) {
        Optional<JWTClaimsSet> parsed = key.verify(jwt);
        if (parsed.isEmpty()) {
            return Optional.of("error validating token: failed to verify id token signature");
        }
        JWTClaimsSet c = parsed.get();
        Optional<String> time = times(c, now);
        if (time.isPresent()) {
            return time;
        }
        List<String> aud = c.getAudience();
        if (!aud.isEmpty() && aud.stream().noneMatch(role.boundAudiences()::contains)) {
            return Optional.of("error validating token: invalid audience (aud) claim: audience claim does not match any expected audience");
        }
        if (!role.boundSubject().isEmpty() && !role.boundSubject().equals(c.getSubject())) {
            return Optional.of("sub claim does not match bound subject");
        }
        for (Map.Entry<String, List<String>> bound : role.boundClaims().entrySet()) {
            Object value = c.getClaim(bound.getKey());
            if (value == null || !bound.getValue().contains(value.toString())) {
                return Optional.of("error validating claims: claim \"" + bound.getKey()
                        + "\" does not match any associated bound claim values");
            }
        }
        return Optional.empty();
    }

    static Optional<String> kubernetes(TokenKey key, JwtRole role, String jwt, Instant now) {
        Optional<JWTClaimsSet> parsed = key.verify(jwt);
        if (parsed.isEmpty()) {
            return Optional.of("permission denied");
        }
        JWTClaimsSet c = parsed.get();
        Optional<String> time = times(c, now);
        if (time.isPresent()) {
            return Optional.of("permission denied");
        }
        String[] sub = String.valueOf(c.getSubject()).split(":");
        if (sub.length != 4 || !sub[0].equals("system") || !sub[1].equals("serviceaccount")) {
            return Optional.of("permission denied");
        }
        if (!allows(role.boundServiceAccountNamespaces(), sub[2])) {
            return Optional.of("namespace not authorized");
        }
        if (!allows(role.boundServiceAccountNames(), sub[3])) {
            return Optional.of("service account name not authorized");
        }
        if (!role.boundAudiences().isEmpty() && c.getAudience().stream().noneMatch(role.boundAudiences()::contains)) {
            return Optional.of("invalid audience (aud) claim: audience claim does not match any expected audience");
        }
        return Optional.empty();
    }

    private static boolean allows(List<String> bound, String value) {
        return bound.contains("*") || bound.contains(value);
    }

    private static Optional<String> times(JWTClaimsSet c, Instant now) {
        if (c.getExpirationTime() == null || !now.isBefore(c.getExpirationTime().toInstant())) {
            return Optional.of("error validating token: token is expired (exp)");
        }
        if (c.getNotBeforeTime() != null && now.isBefore(c.getNotBeforeTime().toInstant())) {
            return Optional.of("error validating token: token not valid yet (nbf)");
        }
        return Optional.empty();
    }
}
