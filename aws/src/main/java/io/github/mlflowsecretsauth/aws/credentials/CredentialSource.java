package io.github.mlflowsecretsauth.aws.credentials;

/** Where the project's AWS credentials come from, labelled as the seed's configuration summary shows it. */
public enum CredentialSource {
    /** {@code MLFLOW_AWS_ACCESS_KEY_ID} and {@code MLFLOW_AWS_SECRET_ACCESS_KEY} (environment, system property or {@code .env}). */
    PROJECT("project-specific (MLFLOW_AWS_*)"),
    /** {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}. */
    GLOBAL("global (AWS_*)"),
    /** The AWS SDK's default chain: profiles, SSO, web identity, container and instance roles. */
    DEFAULT_CHAIN("default chain");

    private final String label;

    CredentialSource(String label) {
        this.label = label;
    }

    /** E.g. {@code project-specific (MLFLOW_AWS_*)}; the default chain's label gains the provider once known. */
    public String label() {
        return label;
    }
}
