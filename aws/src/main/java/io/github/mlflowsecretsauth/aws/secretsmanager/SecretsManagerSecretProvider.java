package io.github.mlflowsecretsauth.aws.secretsmanager;

import io.github.mlflowsecretsauth.aws.client.AwsSdkClients;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.secret.SecretValue;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Reads the MLflow credential from AWS Secrets Manager with one {@code GetSecretValue} call, signed
 * with the project's AWS credentials. {@code SecretString} becomes text, {@code SecretBinary} bytes
 * (the core parser reads UTF-8 bytes as text and uses other bytes' base64 as a token). Failures are
 * mapped by {@link SecretsManagerErrors}. Thread-safe: the SDK client is.
 */
final class SecretsManagerSecretProvider implements SecretProvider {
    private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerSecretProvider.class);

    private final SecretsManagerConfig config;
    private final ProjectAwsCredentials credentials;
    private final SecretsManagerClient client;
    private final GetSecretValueRequest request;

    SecretsManagerSecretProvider(SecretsManagerConfig config, ProjectAwsCredentials credentials) {
        this.config = config;
        this.credentials = credentials;
        this.client = AwsSdkClients.secretsManager(credentials, config.region(), config.endpoint(), config.fetchTimeout());
        GetSecretValueRequest.Builder b = GetSecretValueRequest.builder().secretId(config.secretId());
        config.version().apply(b);
        this.request = b.build();
    }

    @Override
    public String name() {
        return SecretsManagerProviderFactory.NAME;
    }

    @Override
    public SecretValue fetch() {
        GetSecretValueResponse r;
        try {
            r = client.getSecretValue(request);
        } catch (SdkException e) {
            throw SecretsManagerErrors.map(e, config, credentials);
        }
        LOG.debug("read {} ({}; got version {}) in {} with the credentials from {}", config.secretId(), config.version(),
                r.versionId(), config.region().id(), credentials.sourceLabel());
        if (r.secretString() != null) {
            return SecretValue.ofText(r.secretString(), config.location(), r.versionId());
        }
        if (r.secretBinary() != null) {
            return SecretValue.ofBytes(r.secretBinary().asByteArrayUnsafe(), config.location(), r.versionId());
        }
        throw new MalformedSecretException("the secret at " + config.location() + " has neither SecretString nor SecretBinary: "
                + "store the credential as a string or binary value");
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("region", config.region().id() + " (" + config.regionFrom() + ")");
        d.put("secret id", config.secretId());
        d.put("version", config.version().toString());
        credentials.describe().forEach(d::putIfAbsent); // the secret's region wins over the project's
        config.endpoint().ifPresent(e -> d.put("endpoint", e.toString()));
        return d;
    }

    @Override
    public void close() {
        client.close();
        credentials.close();
    }

    @Override
    public String toString() {
        return "SecretsManagerSecretProvider{" + config.secretId() + " in " + config.region().id() + ", " + config.version()
                + ", " + credentials.sourceLabel() + "}";
    }
}
