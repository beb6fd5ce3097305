package io.github.mlflowsecretsauth.testkit.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Real AWS SDK clients pointed at a testkit server, with explicit keys and no SDK retries. */
final class SdkClients {
    private SdkClients() {}

    static AwsCredentials credentials(AwsPrincipal p) {
        return p.sessionToken().isPresent()
                ? AwsSessionCredentials.create(p.accessKeyId(), p.secretAccessKey(), p.sessionToken().get())
                : AwsBasicCredentials.create(p.accessKeyId(), p.secretAccessKey());
    }

    static SecretsManagerClient secretsManager(URI endpoint, String region, AwsCredentials credentials) {
        return SecretsManagerClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }

    static StsClient sts(URI endpoint, String region, AwsCredentials credentials) {
        return StsClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
