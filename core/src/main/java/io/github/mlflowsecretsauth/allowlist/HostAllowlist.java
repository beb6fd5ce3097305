package io.github.mlflowsecretsauth.allowlist;

import io.github.mlflowsecretsauth.error.ConfigurationException;

import io.github.mlflowsecretsauth.internal.Hosts;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Decides which hosts may receive a credential ({@code MLFLOW_SECRETS_ALLOWED_HOSTS}): a comma list
 * of shell-style globs ({@code *}, {@code ?}, {@code [abc]}, {@code [!abc]}), case-insensitive. A
 * pattern may carry a port ({@code nginx:80}), which then must equal the URL's port, explicit or
 * the scheme's default, so {@code nginx:80} matches {@code http://nginx/} and {@code http://nginx:80/}.
 * An empty list allows every host (the seed's documented default, with a warning elsewhere).
 *
 * <p>Thread-safe. Decisions are memoised per scheme and authority, so the hot path is one map lookup.
 */
public final class HostAllowlist {
    private static final int MEMO_LIMIT = 4096;

    private final List<String> patterns;
    private final List<Rule> rules;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Boolean>> memo = new ConcurrentHashMap<>();

    private record Rule(Pattern host, int port) {
        boolean matches(String h, int p) {
            return (port < 0 || port == p) && host.matcher(h).matches();
        }
    }

    private HostAllowlist(List<String> patterns, List<Rule> rules) {
        this.patterns = List.copyOf(patterns);
        this.rules = List.copyOf(rules);
    }

    /** Allows every host. */
    public static HostAllowlist allowAll() {
        return new HostAllowlist(List.of(), List.of());
    }

    /** Parses the comma list; {@code variable} names the setting in errors. */
    public static HostAllowlist parse(String commaList, String variable) {
        List<String> patterns = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        if (commaList != null && !commaList.isBlank() && commaList.replace(",", "").isBlank()) {
            throw new ConfigurationException(variable + " is set but lists no host: list hosts such as mlflow.company.com, or unset it");
        }
        if (commaList != null) {
            for (String raw : commaList.split(",")) {
                String p = raw.strip().toLowerCase(Locale.ROOT);
                if (p.isEmpty()) {
                    continue;
                }
                patterns.add(p);
                rules.add(rule(p, variable));
            }
        }
        return new HostAllowlist(patterns, rules);
    }

    private static Rule rule(String p, String variable) {
        String host = p;
        int port = -1;
        if (p.contains("/") || p.contains("@") || p.contains(" ")) {
            // Not echoed: such a value may be a URL with user:password in it.
            throw new ConfigurationException(variable + ": an entry holds a scheme, path, user info or space: use host or "
                    + "host:port globs such as mlflow.company.com, *.company.com or nginx:80");
        }
        int close = p.indexOf(']');
        if (p.startsWith("[") && close < 0 && p.contains(":")) {
            throw new ConfigurationException(variable + ": an entry has an unclosed IPv6 bracket: use [address] or [address]:port");
        }
        if (p.startsWith("[") && close > 0 && p.substring(1, close).contains(":")) { // [IPv6] or [IPv6]:port
            host = p.substring(1, close);
            String rest = p.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new ConfigurationException(variable + ": an IPv6 entry must be [address] or [address]:port");
                }
                port = port(rest.substring(1), p, variable);
            }
            return new Rule(Pattern.compile(Pattern.quote(host)), port);
        }
        int colon = p.lastIndexOf(':');
        if (colon >= 0 && p.indexOf(':') == colon) {
            host = p.substring(0, colon);
            port = port(p.substring(colon + 1), p, variable);
        } else if (colon >= 0) {
            return new Rule(Pattern.compile(Pattern.quote(p)), -1); // bare IPv6 address
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new ConfigurationException(variable + ": an entry has no host part");
        }
        try {
            return new Rule(glob(host), port);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new ConfigurationException(variable + ": an entry is not a valid glob (check its [...] brackets)");
        }
    }

    private static int port(String s, String p, String variable) {
        try {
            if (!s.matches("[0-9]{1,5}")) {
                throw new NumberFormatException();
            }
            int port = Integer.parseInt(s);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(variable + ": an entry has an invalid port: use host:port with a port from 1 to 65535");
        }
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '[' -> {
                    int close = g.indexOf(']', i + 1);
                    if (close < 0) {
                        re.append("\\[");
                    } else {
                        String body = g.substring(i + 1, close);
                        boolean negate = body.startsWith("!");
                        re.append('[').append(negate ? "^" : "").append(body.substring(negate ? 1 : 0).replace("\\", "\\\\")
                                .replace("[", "\\[")).append(']');
                        i = close;
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    /** Whether any restriction is configured. */
    public boolean isRestricted() {
        return !rules.isEmpty();
    }

    public List<String> patterns() {
        return patterns;
    }

    /** Whether a credential may be sent to {@code uri}'s host. A URI without a host is never allowed. */
    public boolean allows(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return false;
        }
        if (rules.isEmpty()) {
            return true;
        }
        // Keyed by the strings URI already holds: no concatenation, no allocation on a hit (measured in bench/).
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        ConcurrentHashMap<String, Boolean> byAuthority = memo.get(scheme);
        if (byAuthority == null) {
            if (memo.size() >= MEMO_LIMIT) {
                memo.clear();
            }
            byAuthority = memo.computeIfAbsent(scheme, k -> new ConcurrentHashMap<>());
        }
        Boolean known = byAuthority.get(authority);
        if (known != null) {
            return known;
        }
        boolean decision = decide(uri);
        if (byAuthority.size() >= MEMO_LIMIT) {
            byAuthority.clear();
        }
        byAuthority.put(authority, decision);
        return decision;
    }

    private boolean decide(URI uri) {
        Optional<String> host = Hosts.hostOf(uri);
        if (host.isEmpty() || !uri.getRawAuthority().chars().allMatch(c -> c < 0x80)) {
            // Fail closed on a non-ASCII host: Java's case folding is not DNS's (the Kelvin sign folds to k).
            return false;
        }
        int port = Hosts.effectivePort(uri);
        for (Rule r : rules) {
            if (r.matches(host.get(), port)) {
                return true;
            }
        }
        return false;
    }


    @Override
    public String toString() {
        return rules.isEmpty() ? "HostAllowlist{all hosts}" : "HostAllowlist" + patterns;
    }
}
