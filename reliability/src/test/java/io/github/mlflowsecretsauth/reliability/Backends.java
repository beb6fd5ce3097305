package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import io.github.mlflowsecretsauth.testkit.aws.CredentialsEndpoint;
import io.github.mlflowsecretsauth.testkit.azure.AzureKeyVaultServer;
import io.github.mlflowsecretsauth.testkit.fault.Stalls;
import io.github.mlflowsecretsauth.testkit.gcp.GcpSecretManagerServer;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The testkit backends of {@link BackendDeadlinesTest}, each holding a secret that carries the canary, and each
 * endpoint a provider calls: its settings, the server's {@link Stalls} and the path prefix to stall. The AWS default
 * chain's container endpoint needs the JVM-wide system property {@value #CONTAINER_URI} while its case runs.
 */
final class Backends implements AutoCloseable {
    static final String CONTAINER_URI = "aws.containerCredentialsFullUri";
    private static final String SECRET_JSON = "{\"token\":\"" + Canary.token(0) + "\"}";
    private static final String AZURE_CLIENT = "3f6a9c1e-2b7d-4e8f-9a10-5c4d3e2f1a0b";

    /** One endpoint to stall: the provider {@code settings} enable, and where its server stalls. */
    record Endpoint(String name, Map<String, String> settings, Stalls stalls, String pathPrefix, boolean containerChain) {
    }

    private final VaultServer vault = VaultServer.builder().rootToken(Canary.VALUE + "-deadline-vault-root").start();
    private final AwsServer aws;
    private final CredentialsEndpoint awsChain;
    private final AzureKeyVaultServer azure = AzureKeyVaultServer.builder().start();
    private final GcpSecretManagerServer gcp = GcpSecretManagerServer.builder().start();
    private final Path gcpKey;
    private final Path gcloudConfig;
    private final Path emptyAwsProfiles;
    private final AwsPrincipal awsKeys = AwsPrincipal.user("mlflow-project", "AKIAMLFLOWDEADLINE01", Canary.VALUE + "-aws-secret-key");
    private final AwsPrincipal awsRole = AwsPrincipal.assumedRole("mlflow-reader", "ASIAMLFLOWDEADLINE01",
            Canary.VALUE + "-aws-role-secret", Canary.VALUE + "-aws-session-token");

    Backends(Path dir) throws IOException {
        vault.putSecret(Stack.SECRET_PATH, Map.of("token", Canary.token(0)));
        aws = AwsServer.builder().principal(awsKeys).principal(awsRole).start();
        aws.createSecret("prod/mlflow/auth", SECRET_JSON);
        awsChain = CredentialsEndpoint.start(awsRole);
        azure.addServicePrincipal(AZURE_CLIENT, Canary.VALUE + "-azure-client-secret");
        azure.setSecret("mlflow-auth", SECRET_JSON);
        gcp.addVersion("mlflow-auth", SECRET_JSON);
        gcpKey = gcp.writeKeyFile(gcp.createServiceAccount("mlflow-reader"), dir.resolve("gcp-key.json"));
        gcloudConfig = Files.createDirectories(dir.resolve("gcloud"));
        emptyAwsProfiles = Files.writeString(dir.resolve("aws-profiles"), "");
    }

    List<Endpoint> endpoints() {
        return List.of(new Endpoint("vault-kv-read", Stack.vaultSettings(vault.address(), Canary.VALUE + "-deadline-vault-root"),
                        vault.stalls(), "/v1/" + Stack.KV_READ, false),
                new Endpoint("aws-secrets-manager", awsSettings(true), aws.stalls(), "/", false),
                new Endpoint("aws-default-chain-container", awsSettings(false), awsChain.stalls(), "/", true),
                new Endpoint("azure-key-vault-read", azureSettings(), azure.stalls(), "/secrets/", false),
                new Endpoint("azure-entra-token", azureSettings(), azure.stalls(), "/" + azure.tenantId() + "/oauth2/", false),
                new Endpoint("gcp-secret-manager-access", gcpSettings(), gcp.stalls(), "/v1/projects/", false),
                new Endpoint("gcp-oauth-token", gcpSettings(), gcp.stalls(), "/token", false));
    }

    /** The container credentials URL to set as {@value #CONTAINER_URI}. */
    String containerCredentialsUri() {
        return awsChain.containerCredentialsUri().toString();
    }

    private Map<String, String> awsSettings(boolean keys) {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "aws-secrets-manager");
        s.put("MLFLOW_AWS_SECRET_ID", "prod/mlflow/auth");
        s.put("AWS_REGION", aws.region());
        s.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        if (keys) {
            s.put("MLFLOW_AWS_ACCESS_KEY_ID", awsKeys.accessKeyId());
            s.put("MLFLOW_AWS_SECRET_ACCESS_KEY", awsKeys.secretAccessKey());
        } else { // the default chain: no profile may answer before the container endpoint
            s.put("AWS_CONFIG_FILE", emptyAwsProfiles.toString());
            s.put("AWS_SHARED_CREDENTIALS_FILE", emptyAwsProfiles.toString());
        }
        return s;
    }

    private Map<String, String> azureSettings() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "azure-key-vault");
        s.put("AZURE_KEY_VAULT_URL", azure.vaultUrl().toString());
        s.put("MLFLOW_AZURE_SECRET_NAME", "mlflow-auth");
        s.put("MLFLOW_AZURE_CA_BUNDLE_PATH", azure.caCertificatePem().toString());
        s.put("AZURE_AUTHORITY_HOST", azure.authorityHost().toString());
        s.put("AZURE_TENANT_ID", azure.tenantId());
        s.put("AZURE_CLIENT_ID", AZURE_CLIENT);
        s.put("AZURE_CLIENT_SECRET", Canary.VALUE + "-azure-client-secret");
        return s;
    }

    private Map<String, String> gcpSettings() {
        Map<String, String> s = new HashMap<>();
        s.put("MLFLOW_SECRETS_AUTH_ENABLE", "gcp-secret-manager");
        s.put("MLFLOW_GCP_SECRET_NAME", "projects/mlflow-prod/secrets/mlflow-auth");
        s.put("GOOGLE_APPLICATION_CREDENTIALS", gcpKey.toString());
        s.put("MLFLOW_GCP_SECRET_MANAGER_ENDPOINT", gcp.endpoint().toString());
        s.put("CLOUDSDK_CONFIG", gcloudConfig.toString());
        return s;
    }

    @Override
    public void close() {
        for (AutoCloseable c : List.<AutoCloseable>of(vault, aws, awsChain, azure, gcp)) {
            try {
                c.close();
            } catch (Exception e) {
                // clean-up: the next server still closes
            }
        }
    }
}
