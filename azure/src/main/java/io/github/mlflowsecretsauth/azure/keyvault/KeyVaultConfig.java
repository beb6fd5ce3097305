package io.github.mlflowsecretsauth.azure.keyvault;

import io.github.mlflowsecretsauth.azure.AzureConfigKeys;
import io.github.mlflowsecretsauth.azure.http.LoopbackHosts;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code azure-key-vault} provider's settings, validated: the vault ({@code AZURE_KEY_VAULT_URL},
 * https only), the secret ({@code MLFLOW_AZURE_SECRET_NAME}, Key Vault's naming rules), the version
 * ({@code MLFLOW_AZURE_SECRET_VERSION}, default latest) and an extra CA bundle
 * ({@code MLFLOW_AZURE_CA_BUNDLE_PATH}). Immutable; holds no credential.
 *
 * @param vaultUrl   the vault's URL without a trailing slash
 * @param secretName the secret's name
 * @param version    a version id, or empty for the latest
 * @param caBundle   a PEM file of CA certificates to trust, if set
 */
public record KeyVaultConfig(URI vaultUrl, String secretName, Optional<String> version, Optional<Path> caBundle) {
    private static final Pattern NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
    private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{32}");

    /** The settings a fully configured provider needs that are not set. */
    static List<String> missing(Settings s) {
        List<String> out = new ArrayList<>();
        for (String name : new String[] {AzureConfigKeys.VAULT_URL, AzureConfigKeys.SECRET_NAME}) {
            if (!s.isSet(name)) {
                out.add(name);
            }
        }
        return out;
    }

    static KeyVaultConfig from(Settings s) {
        URI url = vaultUrl(s);
        String name = ConfigValues.required(s, AzureConfigKeys.SECRET_NAME, "set it to the secret's name in the vault, e.g. mlflow-auth-token");
        if (!NAME.matcher(name).matches()) {
            // Not echoed: a secret pasted into the wrong variable must not reach a log.
            throw new ConfigurationException(AzureConfigKeys.SECRET_NAME + " is not a Key Vault secret name: expected 1 to 127 letters, "
                    + "digits and dashes (e.g. mlflow-auth-token)");
        }
        Optional<String> version = s.get(AzureConfigKeys.SECRET_VERSION).filter(v -> !v.equalsIgnoreCase("latest"));
        if (version.isPresent() && !VERSION.matcher(version.get()).matches()) {
            throw new ConfigurationException(AzureConfigKeys.SECRET_VERSION + " is not a Key Vault secret version: expected the 32 "
                    + "hexadecimal digits at the end of the secret's identifier, or unset (or latest) for the latest version");
        }
        Optional<Path> ca = s.get(AzureConfigKeys.CA_BUNDLE_PATH).map(Path::of);
        return new KeyVaultConfig(url, name, version.map(v -> v.toLowerCase(Locale.ROOT)), ca);
    }

    private static URI vaultUrl(Settings s) {
        String raw = ConfigValues.required(s, AzureConfigKeys.VAULT_URL, "set it to the vault's URL, e.g. https://myvault.vault.azure.net");
        URI uri = ConfigValues.httpUrl(AzureConfigKeys.VAULT_URL, raw);
        if (!uri.getScheme().equalsIgnoreCase("https")) {
            throw new ConfigurationException(AzureConfigKeys.VAULT_URL + " must be an https URL such as https://myvault.vault.azure.net "
                    + "(Key Vault accepts https only)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigurationException(AzureConfigKeys.VAULT_URL + " must be the vault's address only, such as "
                    + "https://myvault.vault.azure.net (no path, query or fragment)");
        }
        return URI.create("https://" + uri.getRawAuthority());
    }

    /** Whether the vault runs on this machine (a test or an emulator), which is when challenge resource verification is off. */
    boolean loopbackVault() {
        return LoopbackHosts.isLoopback(vaultUrl.getHost());
    }

    /** Where the secret lives, as error messages and {@code SecretValue.location()} show it. */
    String location() {
        return "azure-key-vault:" + vaultUrl.getRawAuthority() + "/" + secretName;
    }

    /** The secret and version, for messages: {@code 'name'} or {@code 'name' version v}. */
    String secretForDisplay() {
        return "'" + secretName + "'" + version.map(v -> " version " + v).orElse("");
    }

    String versionForDisplay() {
        return version.orElse("latest (default)");
    }
}
