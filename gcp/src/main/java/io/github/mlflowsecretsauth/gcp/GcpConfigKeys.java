package io.github.mlflowsecretsauth.gcp;

/**
 * The names of the Google settings. The project's own ones ({@code MLFLOW_GCP_*}) and
 * {@link #APPLICATION_CREDENTIALS}, {@link #PROJECT} and {@link #CLOUDSDK_CONFIG} are read through
 * the project's {@link io.github.mlflowsecretsauth.config.Settings}, so they work as environment
 * variables, Java system properties or lines of the {@code .env} file. {@link #METADATA_HOST} is read
 * by the Google auth library itself, from the process environment only. Nothing here is ever written.
 */
public final class GcpConfigKeys {
    /** {@code projects/P/secrets/S} (or {@code projects/P/locations/L/secrets/S}), or a secret id {@code S}. */
    public static final String SECRET_NAME = "MLFLOW_GCP_SECRET_NAME";
    /** {@code latest} (the default), a version number, or a version alias. */
    public static final String SECRET_VERSION = "MLFLOW_GCP_SECRET_VERSION";
    /** The Secret Manager endpoint, for private (Private Service Connect) endpoints and tests. */
    public static final String ENDPOINT = "MLFLOW_GCP_SECRET_MANAGER_ENDPOINT";
    /** A PEM file of CA certificates to trust for an https {@link #ENDPOINT}. */
    public static final String CA_BUNDLE = "MLFLOW_GCP_CA_BUNDLE";

    /** The audience of the {@code gcp-id-token} provider's ID token: the IAP OAuth client id or the Cloud Run service URL. */
    public static final String ID_TOKEN_AUDIENCE = "MLFLOW_GCP_ID_TOKEN_AUDIENCE";

    /**
     * The IAM credentials endpoint for impersonation's {@code generateIdToken} (default
     * {@code https://iamcredentials.googleapis.com}), for Private Service Connect endpoints and tests.
     */
    public static final String IAM_CREDENTIALS_ENDPOINT = "MLFLOW_GCP_IAM_CREDENTIALS_ENDPOINT";

    /** The project of a short secret id (Google's own variable). */
    public static final String PROJECT = "GOOGLE_CLOUD_PROJECT";
    /** A credentials file: a service-account key, a workload identity federation config, user credentials. */
    public static final String APPLICATION_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";
    /** gcloud's configuration directory, where {@code application_default_credentials.json} lives. */
    public static final String CLOUDSDK_CONFIG = "CLOUDSDK_CONFIG";
    /** {@code host:port} of the metadata server, as the Google auth library reads it. */
    public static final String METADATA_HOST = "GCE_METADATA_HOST";

    private GcpConfigKeys() {
    }
}
