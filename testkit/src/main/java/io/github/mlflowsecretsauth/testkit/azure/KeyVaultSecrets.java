package io.github.mlflowsecretsauth.testkit.azure;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets of the testkit vault: each name has its versions in the order they were set; the last
 * one is what "latest" reads. Thread-safe: every method synchronises on the instance.
 */
final class KeyVaultSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, List<SecretVersionEntry>> byName = new LinkedHashMap<>();

    synchronized String set(String name, String value, String contentType, Instant now) {
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String version = HexFormat.of().formatHex(id);
        byName.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>())
                .add(new SecretVersionEntry(version, value, contentType, now, now, true));
        return version;
    }

    /** The latest version ({@code version} null or empty) or the given one; names are case-insensitive, as in Key Vault. */
    synchronized Optional<SecretVersionEntry> get(String name, String version) {
        List<SecretVersionEntry> versions = byName.get(name.toLowerCase(java.util.Locale.ROOT));
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        if (version == null || version.isEmpty()) {
            return Optional.of(versions.get(versions.size() - 1));
        }
        return versions.stream().filter(v -> v.version().equalsIgnoreCase(version)).findFirst();
    }

    synchronized List<SecretVersionEntry> versions(String name) {
        return List.copyOf(byName.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of()));
    }

    synchronized void setEnabled(String name, String version, boolean enabled, Instant now) {
        List<SecretVersionEntry> versions = byName.get(name.toLowerCase(java.util.Locale.ROOT));
        if (versions == null) {
            throw new IllegalArgumentException("no secret named " + name);
        }
        for (int i = 0; i < versions.size(); i++) {
            if (version == null ? i == versions.size() - 1 : versions.get(i).version().equalsIgnoreCase(version)) {
                versions.set(i, versions.get(i).withEnabled(enabled, now));
                return;
            }
        }
        throw new IllegalArgumentException("secret " + name + " has no version " + version);
    }
}
