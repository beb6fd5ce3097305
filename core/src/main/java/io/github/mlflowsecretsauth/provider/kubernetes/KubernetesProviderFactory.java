package io.github.mlflowsecretsauth.provider.kubernetes;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code kubernetes} provider: the pod's projected service-account token as a Bearer credential, and MLflow's
 * {@code X-MLFLOW-WORKSPACE} header whenever a workspace is known. {@code MLFLOW_KUBERNETES_TOKEN_PATH} (default
 * the pod's mounted token), {@code MLFLOW_KUBERNETES_POLL_SEC} (1..10, default 2: how often the file is checked
 * for the kubelet's rotation), {@code MLFLOW_KUBERNETES_TTL_SEC} (1..3600, default 300: the lifetime of a token
 * without {@code exp}), {@code MLFLOW_WORKSPACE} (else the {@code namespace} file beside the token, else the
 * default mount's, as MLflow's own provider reads it).
 */
public final class KubernetesProviderFactory implements SecretProviderFactory {
    public static final String TOKEN_PATH = "MLFLOW_KUBERNETES_TOKEN_PATH";
    public static final String POLL = "MLFLOW_KUBERNETES_POLL_SEC";
    public static final String WORKSPACE = "MLFLOW_WORKSPACE";
    public static final String DEFAULT_TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token";
    /** A token without {@code exp} is re-read at least this often, whatever its TTL setting says. */
    static final long MAX_TTL_WITHOUT_EXP_SEC = 3600;
    static final int DEFAULT_POLL_SEC = 2;
    static final int MAX_POLL_SEC = 10;

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public int priority() {
        return 45;
    }

    @Override
    public String settingsPrefix() {
        return "KUBERNETES";
    }

    /** Nothing is required: the token path has the pod's default. */
    @Override
    public List<String> missingSettings(Settings settings) {
        return List.of();
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        Settings s = context.settings();
        String raw = s.get(TOKEN_PATH).orElse(DEFAULT_TOKEN_PATH);
        Path path;
        try {
            path = Path.of(raw).toAbsolutePath();
        } catch (java.nio.file.InvalidPathException e) {
            throw new ConfigurationException(TOKEN_PATH + " is not a valid file path: set it to the service-account token file");
        }
        Duration poll = ConfigValues.secondsWithin(s, POLL, DEFAULT_POLL_SEC, MAX_POLL_SEC);
        Duration ttl = ConfigValues.secondsWithin(s, ConfigKeys.ttl(settingsPrefix()), ConfigKeys.DEFAULT_TTL_SEC,
                MAX_TTL_WITHOUT_EXP_SEC);
        Optional<String> workspace = s.get(WORKSPACE).map(String::trim).filter(w -> !w.isEmpty());
        return new KubernetesTokenProvider(path, workspace, Path.of(DEFAULT_TOKEN_PATH).resolveSibling("namespace"), poll,
                ttl, context.clock(), context.scheduler(), context.secretChanged());
    }
}
