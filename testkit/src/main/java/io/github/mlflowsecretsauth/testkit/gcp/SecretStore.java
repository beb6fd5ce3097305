package io.github.mlflowsecretsauth.testkit.gcp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets of one {@link GcpSecretManagerServer}: per secret id, its versions numbered from 1 in
 * creation order, each with bytes and a {@link VersionState}, and user-defined aliases. {@code latest}
 * is the most recently created version, whatever its state, as in Secret Manager.
 *
 * <p>Thread-safe: every method locks the store.
 */
final class SecretStore {
    /** One version of a secret. */
    record Version(int number, byte[] data, VersionState state, Instant created) {
    }

    private final Map<String, List<Version>> secrets = new HashMap<>();
    private final Map<String, Map<String, Integer>> aliases = new HashMap<>();

    synchronized int add(String secret, byte[] data, Instant now) {
        List<Version> versions = secrets.computeIfAbsent(secret, s -> new ArrayList<>());
        int n = versions.size() + 1;
        versions.add(new Version(n, data.clone(), VersionState.ENABLED, now));
        return n;
    }

    synchronized void setState(String secret, int number, VersionState state) {
        List<Version> versions = versions(secret);
        if (number < 1 || number > versions.size()) {
            throw new IllegalArgumentException("secret " + secret + " has no version " + number);
        }
        Version v = versions.get(number - 1);
        if (v.state() == VersionState.DESTROYED && state != VersionState.DESTROYED) {
            throw new IllegalArgumentException("version " + number + " of " + secret + " is destroyed");
        }
        byte[] data = state == VersionState.DESTROYED ? new byte[0] : v.data();
        versions.set(number - 1, new Version(number, data, state, v.created()));
    }

    synchronized void alias(String secret, String alias, int number) {
        versions(secret);
        aliases.computeIfAbsent(secret, s -> new HashMap<>()).put(alias, number);
    }

    synchronized boolean exists(String secret) {
        return secrets.containsKey(secret);
    }

    /** The version {@code selector} (latest, a number or an alias) names, if any. */
    synchronized Optional<Version> find(String secret, String selector) {
        List<Version> versions = secrets.get(secret);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        if (selector.equals("latest")) {
            return Optional.of(versions.get(versions.size() - 1));
        }
        if (selector.matches("[1-9][0-9]{0,8}")) {
            int n = Integer.parseInt(selector);
            return n <= versions.size() ? Optional.of(versions.get(n - 1)) : Optional.empty();
        }
        Integer n = aliases.getOrDefault(secret, Map.of()).get(selector);
        return n == null ? Optional.empty() : Optional.of(versions.get(n - 1));
    }

    private List<Version> versions(String secret) {
        List<Version> versions = secrets.get(secret);
        if (versions == null) {
            throw new IllegalArgumentException("no secret " + secret);
        }
        return versions;
    }
}
