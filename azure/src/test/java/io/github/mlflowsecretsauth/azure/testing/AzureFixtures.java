package io.github.mlflowsecretsauth.azure.testing;

import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The app registration and settings shared by the Azure tests. The client secret doubles as a canary. */
public final class AzureFixtures {
    public static final String CLIENT_ID = "3f6a9c1e-2b7d-4e8f-9a10-5c4d3e2f1a0b";
    public static final String CLIENT_SECRET = "CANARYazureClientSecret~Qx7.Zp4";
    public static final String SECRET = "mlflow-auth";
    public static final URI MLFLOW = URI.create("http://mlflow.company.com/api/2.0/mlflow/experiments/search");

    private AzureFixtures() {
    }

    /** A new server (so a new port: the SDK caches challenges per host:port) that knows the app. */
    public static AzureKeyVaultServer server() {
        AzureKeyVaultServer kv = AzureKeyVaultServer.builder().start();
        kv.addServicePrincipal(CLIENT_ID, CLIENT_SECRET);
        return kv;
    }

    /**
     * The provider enabled for {@link #SECRET}, the real DefaultAzureCredential on the service principal
     * variables, its token endpoint the testkit's, and the testkit CA trusted through the CA bundle setting.
     */
    public static Map<String, String> settings(AzureKeyVaultServer kv) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "azure-key-vault");
        s.put("AZURE_KEY_VAULT_URL", kv.vaultUrl().toString());
        s.put("MLFLOW_AZURE_SECRET_NAME", SECRET);
        s.put("MLFLOW_AZURE_CA_BUNDLE_PATH", kv.caCertificatePem().toString());
        s.put("AZURE_AUTHORITY_HOST", kv.authorityHost().toString());
        s.put("AZURE_TENANT_ID", kv.tenantId());
        s.put("AZURE_CLIENT_ID", CLIENT_ID);
        s.put("AZURE_CLIENT_SECRET", CLIENT_SECRET);
        return s;
    }

    /** The same map without the given keys. */
    public static Map<String, String> without(Map<String, String> settings, String... names) {
        Map<String, String> s = new HashMap<>(settings);
        for (String n : names) {
            s.remove(n);
        }
        return s;
    }
}
