package io.github.mlflowsecretsauth.testkit.nginx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a request must carry to get past an {@link Nginx}: Basic users (checked by nginx's
 * {@code auth_basic} against an htpasswd file), accepted {@code Authorization: Bearer} tokens, and
 * accepted values of custom headers such as {@code X-Api-Key}. All configured requirements must
 * hold at once; with none configured every request passes.
 *
 * <p>Basic and Bearer both live in the one {@code Authorization} header, so a rule set holds one
 * or the other, never both. Several Basic users, several tokens and several values per header are
 * each alternatives: any one of them is accepted. That is how a test models a rotation grace
 * period: it passes the old and the new credential together, then only the new one.
 *
 * <p>Token and header value matches are exact and case-sensitive (only the {@code Bearer} scheme
 * word is matched case-insensitively, as RFC 7235 says).
 *
 * <p>Thread-safety: immutable; every {@code with...} method returns a new instance.
 *
 * <p>Failure behaviour: the {@code with...} methods throw {@link IllegalArgumentException} for a
 * value nginx could not carry or that would make the rules contradictory (a user name with
 * {@code :}, control characters or non-ASCII in a credential, an empty token, a header name that
 * is not a plain {@code A-Za-z0-9-} token, Basic together with Bearer).
 */
public final class AccessRules {

    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");
    private static final AccessRules NONE = new AccessRules(Map.of(), List.of(), Map.of());

    private final Map<String, String> basicUsers;
    private final List<String> bearerTokens;
    private final Map<String, List<String>> headers;

    private AccessRules(Map<String, String> basicUsers, List<String> bearerTokens,
            Map<String, List<String>> headers) {
        this.basicUsers = basicUsers;
        this.bearerTokens = bearerTokens;
        this.headers = headers;
    }

    /** Rules that let every request through. */
    public static AccessRules none() {
        return NONE;
    }

    /**
     * Adds a Basic user, or replaces the password of a user already present.
     *
     * @throws IllegalArgumentException if Bearer tokens are set, the user name is empty or holds
     *     {@code :}, or either value holds control characters or non-ASCII characters
     */
    public AccessRules withBasicUser(String user, String password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a Basic user name must be non-empty and hold no ':'");
        }
        requirePrintableAscii("Basic user name", user);
        requirePrintableAscii("Basic password", password);
        if (!bearerTokens.isEmpty()) {
            throw new IllegalArgumentException(
                    "Basic and Bearer both use the Authorization header: choose one (start from AccessRules.none())");
        }
        Map<String, String> users = new LinkedHashMap<>(basicUsers);
        users.put(user, password);
        return new AccessRules(Collections.unmodifiableMap(users), bearerTokens, headers);
    }

    /** Removes every Basic user. */
    public AccessRules withoutBasicAuth() {
        return new AccessRules(Map.of(), bearerTokens, headers);
    }

    /**
     * Replaces the accepted Bearer tokens (the part after {@code "Bearer "}). No tokens means no
     * Bearer check.
     *
     * @throws IllegalArgumentException if Basic users are set, or a token is empty or holds
     *     control characters, spaces or non-ASCII characters
     */
    public AccessRules withBearerTokens(String... tokens) {
        List<String> list = distinct(tokens, "Bearer token");
        for (String token : list) {
            if (token.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("a Bearer token holds no spaces");
            }
        }
        if (!list.isEmpty() && !basicUsers.isEmpty()) {
            throw new IllegalArgumentException(
                    "Basic and Bearer both use the Authorization header: choose one (start from AccessRules.none())");
        }
        return new AccessRules(basicUsers, list, headers);
    }

    /**
     * Replaces the accepted values of one request header, for example {@code X-Api-Key}. No values
     * removes the requirement for that header.
     *
     * @throws IllegalArgumentException if the name is not a plain header token (letters, digits,
     *     {@code -}; nginx drops headers with {@code _} by default), is {@code Authorization}, or
     *     a value is empty or holds control or non-ASCII characters
     */
    public AccessRules withHeader(String name, String... acceptedValues) {
        Objects.requireNonNull(name, "name");
        if (!HEADER_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain header name (A-Za-z0-9-): " + name);
        }
        if (name.equalsIgnoreCase("Authorization")) {
            throw new IllegalArgumentException("use Basic users or Bearer tokens for the Authorization header");
        }
        List<String> values = distinct(acceptedValues, name + " value");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((existing, v) -> {
            if (!existing.equalsIgnoreCase(name)) {
                copy.put(existing, v);
            }
        });
        if (!values.isEmpty()) {
            copy.put(name, values);
        }
        return new AccessRules(basicUsers, bearerTokens, Collections.unmodifiableMap(copy));
    }

    /** Basic users and their passwords, in the order they were added. */
    public Map<String, String> basicUsers() {
        return basicUsers;
    }

    /** Accepted Bearer tokens. */
    public List<String> bearerTokens() {
        return bearerTokens;
    }

    /** Required headers and, for each, its accepted values. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Whether any requirement is configured. */
    public boolean isOpen() {
        return basicUsers.isEmpty() && bearerTokens.isEmpty() && headers.isEmpty();
    }

    /** Names what is required without revealing any secret. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (!basicUsers.isEmpty()) {
            parts.add("basic users " + basicUsers.keySet());
        }
        if (!bearerTokens.isEmpty()) {
            parts.add(bearerTokens.size() + " bearer token(s)");
        }
        headers.forEach((name, values) -> parts.add(values.size() + " value(s) of " + name));
        return "AccessRules" + (parts.isEmpty() ? "[open]" : parts.toString());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccessRules that
                && basicUsers.equals(that.basicUsers)
                && bearerTokens.equals(that.bearerTokens)
                && headers.equals(that.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(basicUsers, bearerTokens, headers);
    }

    /** The nginx variable that holds a header's value, for example {@code $http_x_api_key}. */
    static String headerVariable(String headerName) {
        return "$http_" + headerName.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static List<String> distinct(String[] values, String what) {
        Objects.requireNonNull(values, what + "s");
        LinkedHashSet<String> set = new LinkedHashSet<>();
        for (String value : Arrays.asList(values)) {
            Objects.requireNonNull(value, what);
            if (value.isEmpty()) {
                throw new IllegalArgumentException("an empty " + what + " is not accepted");
            }
            requirePrintableAscii(what, value);
            set.add(value);
        }
        return List.copyOf(set);
    }

    private static void requirePrintableAscii(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(what + " holds a control or non-ASCII character");
            }
        }
    }
}
