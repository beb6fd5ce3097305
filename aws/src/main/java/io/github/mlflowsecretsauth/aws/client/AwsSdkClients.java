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
 * with jittered backoff; SDK retries on top would multiply the attempts. One total deadline per call,
 * {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}: the SDK's {@code apiCallTimeout} (and, as there is one attempt,
 * {@code apiCallAttemptTimeout}) covers connect, headers and body; the HTTP client's socket timeout is the same,
 * its connect timeout 5 s or less. Each client owns its HTTP client; close the client when done. Thread-safe
 * (stateless).
 */
public final class AwsSdkClients {
    /** Connect timeout of the HTTP client, unless the fetch deadline is shorter. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private AwsSdkClients() {
    }

    /** {@code fetchTimeout}: the total deadline of each call, {@code ProviderContext.fetchTimeout()}. */
    public static SecretsManagerClient secretsManager(ProjectAwsCredentials credentials, Region region,
                                                      Optional<EndpointOverride> endpoint, Duration fetchTimeout) {
        SecretsManagerClientBuilder b = SecretsManagerClient.builder().credentialsProvider(credentials.provider()).region(region)
                .httpClientBuilder(httpClient(fetchTimeout)).overrideConfiguration(overrides(fetchTimeout));
        endpoint.ifPresent(e -> b.endpointOverride(e.uri()));
        return b.build();
    }

    public static StsClient sts(ProjectAwsCredentials credentials, Region region, Optional<EndpointOverride> endpoint,
                                Duration fetchTimeout) {
        StsClientBuilder b = StsClient.builder().credentialsProvider(credentials.provider()).region(region)
                .httpClientBuilder(httpClient(fetchTimeout)).overrideConfiguration(overrides(fetchTimeout));
        endpoint.ifPresent(e -> b.endpointOverride(e.uri()));
        return b.build();
    }

    private static UrlConnectionHttpClient.Builder httpClient(Duration fetchTimeout) {
        return UrlConnectionHttpClient.builder().connectionTimeout(fetchTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? fetchTimeout : CONNECT_TIMEOUT)
                .socketTimeout(fetchTimeout);
    }

    private static ClientOverrideConfiguration overrides(Duration fetchTimeout) {
        return ClientOverrideConfiguration.builder().retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(fetchTimeout).apiCallTimeout(fetchTimeout)
                // No keep-alive: when the call timeout aborts a body read that stalled, HttpURLConnection would try to
                // drain a kept-alive stream (its cleaner waits up to 5 s), holding the caller ~6 s instead of the deadline.
                // One fetch per TTL does not need a pooled connection.
                .putHeader("Connection", "close")
                .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "mlflow-secrets-auth").build();
    }
}
