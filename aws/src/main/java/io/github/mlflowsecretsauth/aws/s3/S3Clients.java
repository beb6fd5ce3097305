package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.aws.client.AwsSdkClients;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds the S3 client of the artifact store: the project's credentials and region set explicitly (never
 * the process's global AWS configuration), the JDK {@code HttpURLConnection} client, the endpoint override
 * with path-style addressing, flexible checksums on every upload and validated on every download, and the
 * SDK's standard retries ({@code AWS_MAX_ATTEMPTS}): an artifact transfer has no engine retry around it,
 * unlike the secret fetches of {@link AwsSdkClients}. No overall call timeout, since a part may take
 * long; a socket read that waits longer than {@link S3Settings#timeout()} fails. Thread-safe (stateless).
 */
public final class S3Clients {
    private S3Clients() {
    }

    /** A new client; close it when done. */
    public static S3Client create(ProjectAwsCredentials credentials, Region region, S3Settings settings) {
        UrlConnectionHttpClient.Builder http = UrlConnectionHttpClient.builder().connectionTimeout(AwsSdkClients.CONNECT_TIMEOUT)
                .socketTimeout(settings.timeout());
        S3ClientBuilder b = S3Client.builder().credentialsProvider(credentials.provider()).region(region)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_SUPPORTED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_SUPPORTED)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(settings.maxAttempts()).build())
                        .putAdvancedOption(SdkAdvancedClientOption.USER_AGENT_SUFFIX, "mlflow-secrets-auth").build());
        if (settings.ignoreTls()) {
            b.httpClient(http.buildWithDefaults(AttributeMap.builder().put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build()));
        } else {
            b.httpClientBuilder(http);
        }
        settings.endpoint().ifPresent(e -> b.endpointOverride(e.uri()).forcePathStyle(true));
        return b.build();
    }
}
