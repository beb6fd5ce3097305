package io.github.mlflowsecretsauth.testkit.azure;

import java.time.Instant;

/**
 * One version of a Key Vault secret as the testkit stores it. Immutable; enabling or disabling makes a
 * new entry.
 *
 * @param version     32 lower-case hex digits, as Key Vault's version ids
 * @param value       the secret's value
 * @param contentType the optional content type ({@code null} for none)
 * @param created     when the version was set
 * @param updated     when its attributes last changed
 * @param enabled     whether it may be read
 */
record SecretVersionEntry(String version, String value, String contentType, Instant created, Instant updated, boolean enabled) {

    SecretVersionEntry withEnabled(boolean on, Instant now) {
        return new SecretVersionEntry(version, value, contentType, created, now, on);
    }

    @Override
    public String toString() {
        return "SecretVersionEntry[" + version + (enabled ? "" : ", disabled") + "]";
    }
}
