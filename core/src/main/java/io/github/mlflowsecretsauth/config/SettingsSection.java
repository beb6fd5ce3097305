package io.github.mlflowsecretsauth.config;

/**
 * The sections of docs/CONFIGURATION.md that list settings, in the document's order. Each has a table between the
 * markers {@code <!-- settings:<id> -->} and {@code <!-- /settings:<id> -->}, written from the {@link SettingsRegistry}.
 */
public enum SettingsSection {
    SHARED("shared"),
    PROXY("proxy"),
    VAULT("vault"),
    AWS_SECRETS_MANAGER("aws-secrets-manager"),
    AWS_SIGV4("aws-sigv4"),
    AZURE_KEY_VAULT("azure-key-vault"),
    GCP_SECRET_MANAGER("gcp-secret-manager"),
    S3_ARTIFACTS("s3-artifacts"),
    MLFLOW_ARTIFACTS("mlflow-artifacts"),
    TLS("tls"),
    OAUTH2("oauth2"),
    KUBERNETES("kubernetes"),
    ENTRA("entra"),
    GCP_ID_TOKEN("gcp-id-token"),
    FILE("file"),
    ENV("env"),
    LAUNCHER("launcher");

    private final String id;

    SettingsSection(String id) {
        this.id = id;
    }

    /** The section's id in the document's markers, e.g. {@code vault}. */
    public String id() {
        return id;
    }
}
