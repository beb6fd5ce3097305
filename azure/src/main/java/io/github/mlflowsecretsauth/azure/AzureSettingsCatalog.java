package io.github.mlflowsecretsauth.azure;

import io.github.mlflowsecretsauth.azure.entra.EntraProviderFactory;
import io.github.mlflowsecretsauth.azure.keyvault.KeyVaultProviderFactory;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

import static io.github.mlflowsecretsauth.config.SettingsSection.AZURE_KEY_VAULT;
import static io.github.mlflowsecretsauth.config.SettingsSection.ENTRA;

/** The azure module's settings: Key Vault, the Azure identity variables ({@link AzureConfigKeys}) and Entra ID. */
public final class AzureSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(AZURE_KEY_VAULT, AzureConfigKeys.VAULT_URL, "the vault, `https://<name>.vault.azure.net` (or a sovereign "
                        + "cloud's `vault.azure.cn`, …); an `http` URL, a path or user info is a one-line error"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.SECRET_NAME, "the secret's name, checked against Key Vault's rules (1 to 127 "
                        + "letters, digits and dashes)"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.SECRET_VERSION, "a version id (32 hex digits, the end of the secret's "
                        + "identifier); unset or `latest`: the latest version")));
        out.addAll(ProviderSettings.modeAndTtl("azure", AZURE_KEY_VAULT, new KeyVaultProviderFactory()));
        out.addAll(List.of(
                s(AZURE_KEY_VAULT, AzureConfigKeys.CA_BUNDLE_PATH, "PEM CA certificates to trust, for this module's HTTP client "
                        + "only (Key Vault and Entra ID token requests), for a TLS-inspecting proxy or a private endpoint; the "
                        + "JVM's trust is untouched"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.TENANT_ID, "the tenant of a service principal or workload identity"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.CLIENT_ID, "the application (client) id of a service principal or workload "
                        + "identity; with a managed identity, picks a user-assigned one"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.CLIENT_SECRET, "a service principal's client secret").asSecret(),
                s(AZURE_KEY_VAULT, AzureConfigKeys.CLIENT_CERTIFICATE_PATH, "a service principal's certificate (PEM or PFX) "
                        + "instead of a secret"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.CLIENT_CERTIFICATE_PASSWORD, "the PFX certificate's password").asSecret(),
                s(AZURE_KEY_VAULT, AzureConfigKeys.USERNAME, "a user name for the SDK's user-password credential (with `"
                        + AzureConfigKeys.CLIENT_ID + "`)"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.PASSWORD, "that user's password").asSecret(),
                s(AZURE_KEY_VAULT, AzureConfigKeys.FEDERATED_TOKEN_FILE, "workload identity (AKS, GitHub Actions OIDC), with the "
                        + "tenant and client id: the federated token is exchanged for an access token"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.IDENTITY_ENDPOINT, "managed identity of App Service, Functions, Container "
                        + "Apps, Arc; on VMs and AKS nodes it is found through IMDS"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.MSI_ENDPOINT, "the older managed identity endpoint (Cloud Shell, older App "
                        + "Service)"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.AUTHORITY_HOST, "the Entra ID host for sovereign clouds "
                        + "(`https://login.chinacloudapi.cn`, …)"),
                s(AZURE_KEY_VAULT, AzureConfigKeys.TOKEN_CREDENTIALS, "`prod`, `dev` or one credential's name, to narrow "
                        + "`DefaultAzureCredential`'s chain"),
                s(ENTRA, EntraProviderFactory.SCOPE, "required: the scope of the MLflow server's app registration, e.g. "
                        + "`api://<application-id>/.default` (several, space-separated, are passed as they are)")));
        out.addAll(ProviderSettings.modeAndTtl("azure", ENTRA, new EntraProviderFactory(), "`bearer`",
                "not used for a minted token, which lives until its own expiry"));
        return out;
    }

    private static Setting s(SettingsSection section, String name, String meaning) {
        return Setting.of("azure", section, name, "", meaning);
    }
}
