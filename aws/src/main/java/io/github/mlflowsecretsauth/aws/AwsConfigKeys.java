package io.github.mlflowsecretsauth.aws;

/**
 * The names of the AWS settings. Every one is read through the project's
 * {@link io.github.mlflowsecretsauth.config.Settings}, so it works as an environment variable, a
 * Java system property or a line of the {@code .env} file; the project never writes any of them.
 */
public final class AwsConfigKeys {
    /** Project-scoped access key id (seed: wins over {@link #ACCESS_KEY_ID}). */
    public static final String PROJECT_ACCESS_KEY_ID = "MLFLOW_AWS_ACCESS_KEY_ID";
    public static final String PROJECT_SECRET_ACCESS_KEY = "MLFLOW_AWS_SECRET_ACCESS_KEY";
    public static final String PROJECT_SESSION_TOKEN = "MLFLOW_AWS_SESSION_TOKEN";
    /** Project-scoped region (seed: wins over the global region variables). */
    public static final String PROJECT_REGION = "MLFLOW_AWS_DEFAULT_REGION";

    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    public static final String REGION = "AWS_REGION";
    public static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
    public static final String PROFILE = "AWS_PROFILE";
    public static final String CONFIG_FILE = "AWS_CONFIG_FILE";
    public static final String SHARED_CREDENTIALS_FILE = "AWS_SHARED_CREDENTIALS_FILE";

    /** Endpoint for every AWS service, as the SDKs read it. */
    public static final String ENDPOINT_URL = "AWS_ENDPOINT_URL";
    /** {@code AWS_ENDPOINT_URL_<SERVICE>} for Secrets Manager. */
    public static final String ENDPOINT_URL_SECRETS_MANAGER = "AWS_ENDPOINT_URL_SECRETS_MANAGER";
    public static final String ENDPOINT_URL_STS = "AWS_ENDPOINT_URL_STS";
    public static final String IGNORE_CONFIGURED_ENDPOINT_URLS = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /** The secret's name or ARN. */
    public static final String SECRET_ID = "MLFLOW_AWS_SECRET_ID";
    /** A staging label ({@code AWSCURRENT}, {@code AWSPENDING}, custom) or a version id. */
    public static final String SECRET_VERSION = "MLFLOW_AWS_SECRET_VERSION";

    private AwsConfigKeys() {
    }
}
