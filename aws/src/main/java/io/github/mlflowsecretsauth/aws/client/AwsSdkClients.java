package io.github.mlflowsecretsauth.aws.client;

import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * Builds the AWS SDK clients of this project, all alike: the project's credentials and region set
 * explicitly (never read from the process's global AWS configuration), the JDK
 * {@code HttpURLConnection} HTTP client (no Netty, no Apache), and no SDK retries, because the
 * engine's {@link io.github.mlflowsecretsauth.retry.RetryPolicy} already retries transient failures
 * with jittered backoff; SDK retries on top would multiply the attempts. Each client owns its HTTP
 * client; close the client when done. Thread-safe (stateless).
 */
public final class AwsSdkClients {
    /** Connect timeout of the HTTP client. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Read timeout of the HTTP client, and the time budget of one attempt. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private AwsSdkClients() {
    }

    public static SecretsManagerClient secretsManager(ProjectAwsCredentials credentials, Region region,
                                                      Optional<EndpointOverride> endpoint) {
        SecretsManagerClientBuilder b = SecretsManagerClient.builder().credentialsProvider(credentials.provider()).region(region)
                .httpClientBuilder(httpClient()).overrideConfiguration(overrides());
        endpoint.ifPresent(e -> b.endpointOverride(e.uri()));
        return b.build();
    }

    public static StsClient sts(ProjectAwsCredentials credentials, Region region, Optional<EndpointOverride> endpoint) {
        StsClientBuilder b = StsClient.builder().credentialsProvider(credentials.provider()).region(region)
                .httpClientBuilder(httpClient()).overrideConfiguration(overrides());
        endpoint.ifPresent(e -> b.endpointOverride(e.uri()));
        return b.build();
    }

    private static UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder().connectionTimeout(CONNECT_TIMEOUT).socketTimeout(READ_TIMEOUT);
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(READ_TIMEOUT).apiCallTimeout(READ_TIMEOUT.plus(CONNECT_TIMEOUT))
                .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "mlflow-secrets-auth").build();
    }
}
