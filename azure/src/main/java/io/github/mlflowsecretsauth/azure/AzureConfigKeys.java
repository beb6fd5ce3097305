package io.github.mlflowsecretsauth.azure;

/**
 * The names of the Azure settings. Every one is read through the project's
 * {@link io.github.mlflowsecretsauth.config.Settings}, so it works as an environment variable, a Java
 * system property or a line of the {@code .env} file; the project never writes any of them. The Azure
 * identity variables reach {@code DefaultAzureCredential} through the same settings.
 */
public final class AzureConfigKeys {
    /** The vault, e.g. {@code https://myvault.vault.azure.net}: https only. */
    public static final String VAULT_URL = "AZURE_KEY_VAULT_URL";
    /** The secret's name: 1 to 127 letters, digits and dashes. */
    public static final String SECRET_NAME = "MLFLOW_AZURE_SECRET_NAME";
    /** A version id (32 hex digits); unset means the latest version. */
    public static final String SECRET_VERSION = "MLFLOW_AZURE_SECRET_VERSION";
    /** A PEM file of CA certificates to trust for Key Vault and the token endpoint (a TLS-inspecting proxy's CA, say). */
    public static final String CA_BUNDLE_PATH = "MLFLOW_AZURE_CA_BUNDLE_PATH";

    public static final String TENANT_ID = "AZURE_TENANT_ID";
    public static final String CLIENT_ID = "AZURE_CLIENT_ID";
    public static final String CLIENT_SECRET = "AZURE_CLIENT_SECRET";
    public static final String CLIENT_CERTIFICATE_PATH = "AZURE_CLIENT_CERTIFICATE_PATH";
    /** The password of a PFX {@link #CLIENT_CERTIFICATE_PATH}, read by the Azure SDK through the same settings. */
    public static final String CLIENT_CERTIFICATE_PASSWORD = "AZURE_CLIENT_CERTIFICATE_PASSWORD";
    public static final String USERNAME = "AZURE_USERNAME";
    public static final String PASSWORD = "AZURE_PASSWORD";
    public static final String FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
    public static final String AUTHORITY_HOST = "AZURE_AUTHORITY_HOST";
    /** Restricts DefaultAzureCredential to {@code dev} or {@code prod} credentials, or one credential by name. */
    public static final String TOKEN_CREDENTIALS = "AZURE_TOKEN_CREDENTIALS";
    /** Managed identity endpoints of App Service, Functions, Container Apps, Arc, Service Fabric. */
    public static final String IDENTITY_ENDPOINT = "IDENTITY_ENDPOINT";
    /** The legacy managed identity endpoint (Cloud Shell, older App Service). */
    public static final String MSI_ENDPOINT = "MSI_ENDPOINT";

    private AzureConfigKeys() {
    }
}
