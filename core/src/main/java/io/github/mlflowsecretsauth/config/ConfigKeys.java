package io.github.mlflowsecretsauth.config;

/** The names of the shared settings. Provider-specific names live with their providers. */
public final class ConfigKeys {
    public static final String TRACKING_AUTH = "MLFLOW_TRACKING_AUTH";
    public static final String TRACKING_AUTH_VALUE = "mlflow_secrets_auth";
    public static final String ENABLE = "MLFLOW_SECRETS_AUTH_ENABLE";
    /** Prefix of the per-provider toggles, e.g. {@code MLFLOW_SECRETS_AUTH_ENABLE_VAULT}. */
    public static final String ENABLE_PREFIX = "MLFLOW_SECRETS_AUTH_ENABLE_";
    public static final String TRACKING_URI = "MLFLOW_TRACKING_URI";
    public static final String ALLOWED_HOSTS = "MLFLOW_SECRETS_ALLOWED_HOSTS";
    public static final String HEADER_NAME = "MLFLOW_AUTH_HEADER_NAME";
    public static final String LOG_LEVEL = "MLFLOW_SECRETS_LOG_LEVEL";
    public static final String MAX_RETRIES = "MLFLOW_SECRETS_MAX_RETRIES";
    public static final String STALE_IF_ERROR_SEC = "MLFLOW_SECRETS_STALE_IF_ERROR_SEC";
    /** One total deadline for each call to a backend or token endpoint: connect, headers and body. */
    public static final String FETCH_TIMEOUT_SEC = "MLFLOW_SECRETS_FETCH_TIMEOUT_SEC";
    /** Total time a proxied request may wait for the MLflow server's response headers, across retries. */
    public static final String PROXY_UPSTREAM_TIMEOUT_SEC = "MLFLOW_SECRETS_PROXY_UPSTREAM_TIMEOUT_SEC";
    /** Memory all requests buffered for a replay (after a 401/403 or 429) may hold together, in MiB. */
    public static final String PROXY_REPLAY_BUDGET_MB = "MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB";
    /** The proxy's one thread pool (listener and client towards MLflow), its maximum size. */
    public static final String PROXY_THREADS = "MLFLOW_SECRETS_PROXY_THREADS";
    /** Extra names clients may reach the proxy by (its {@code Host}), e.g. a Kubernetes Service's DNS names. */
    public static final String PROXY_HOST_NAMES = "MLFLOW_SECRETS_PROXY_HOST_NAMES";
    /** TLS towards MLflow: a client certificate (PEM, or a PKCS#12 bundle) for mutual TLS, and its key (PEM). */
    public static final String TRACKING_CLIENT_CERT_PATH = "MLFLOW_TRACKING_CLIENT_CERT_PATH";
    public static final String TRACKING_CLIENT_KEY_PATH = "MLFLOW_TRACKING_CLIENT_KEY_PATH";
    /** The PKCS#12 bundle's password. */
    public static final String TRACKING_CLIENT_CERT_PASSWORD = "MLFLOW_TRACKING_CLIENT_CERT_PASSWORD";
    /** PEM CA certificates to trust for the MLflow server; MLflow's own name is the alias below. */
    public static final String TRACKING_CA_BUNDLE_PATH = "MLFLOW_TRACKING_CA_BUNDLE_PATH";
    public static final String TRACKING_SERVER_CERT_PATH = "MLFLOW_TRACKING_SERVER_CERT_PATH";
    /** {@code true}: do not verify the MLflow server's certificate (development only; warned on every start). */
    public static final String TRACKING_INSECURE_TLS = "MLFLOW_TRACKING_INSECURE_TLS";
    /** {@code true}: sign every MLflow request with AWS SigV4 instead of sending a secret-derived header. */
    public static final String TRACKING_AWS_SIGV4 = "MLFLOW_TRACKING_AWS_SIGV4";
    /** Keep running on an in-memory tracking store when MLflow or its credentials are unavailable at start-up. */
    public static final String OPTIONAL = "MLFLOW_SECRETS_AUTH_OPTIONAL";
    /** Use the in-memory tracking store from the start; connect to nothing. */
    public static final String MOCK = "MLFLOW_SECRETS_AUTH_MOCK";

    public static final String DEFAULT_HEADER_NAME = "Authorization";
    public static final int DEFAULT_TTL_SEC = 300;
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final int DEFAULT_STALE_IF_ERROR_SEC = 900;
    public static final int DEFAULT_FETCH_TIMEOUT_SEC = 10;
    /** The largest fetch deadline accepted: ten minutes. */
    public static final int MAX_FETCH_TIMEOUT_SEC = 600;

    private ConfigKeys() {
    }

    /** {@code MLFLOW_<PREFIX>_AUTH_MODE}, e.g. {@code MLFLOW_VAULT_AUTH_MODE}. */
    public static String authMode(String providerPrefix) {
        return "MLFLOW_" + providerPrefix + "_AUTH_MODE";
    }

    /** {@code MLFLOW_<PREFIX>_TTL_SEC}, e.g. {@code MLFLOW_VAULT_TTL_SEC}. */
    public static String ttl(String providerPrefix) {
        return "MLFLOW_" + providerPrefix + "_TTL_SEC";
    }

    /** {@code MLFLOW_SECRETS_AUTH_ENABLE_<NAME>}, e.g. {@code ..._AWS_SECRETS_MANAGER}. */
    public static String toggle(String providerName) {
        return ENABLE_PREFIX + providerName.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }
}
