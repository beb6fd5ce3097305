package io.github.mlflowsecretsauth.aws.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.aws.secretsmanager.SecretsManagerProviderFactory;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import io.github.mlflowsecretsauth.testkit.aws.CredentialsEndpoint;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SDK's default chain, with no keys in the settings, gets its credentials from a container credentials endpoint
 * or the instance metadata service (testkit {@link CredentialsEndpoint}, real sockets). When that endpoint stalls
 * mid-body or never answers, a Secrets Manager read ends within MLFLOW_SECRETS_FETCH_TIMEOUT_SEC (+ slack) with one
 * line naming the chain and the setting, never a key; before the fix it took the SDK's own timeouts and retries.
 */
class DefaultChainDeadlineTest {
    static final String VALUE = "CANARY-aws-chain-deadline-3c9e";
    static final long DEADLINE_MS = 1_000;
    static final long SLACK_MS = 1_000;
    private static final String CONTAINER = "aws.containerCredentialsFullUri";
    private static final String IMDS = "aws.ec2MetadataServiceEndpoint";

    @TempDir
    static Path dir;
    private static Path emptyProfiles;

    private AwsServer aws;
    private CredentialsEndpoint endpoint;

    @BeforeAll
    static void profiles() throws IOException {
        emptyProfiles = Files.writeString(dir.resolve("empty-profiles"), "");
    }

    @BeforeEach
    void start() {
        aws = AwsFixtures.server();
        aws.createSecret(AwsFixtures.SECRET, "{\"token\":\"" + VALUE + "\"}");
        endpoint = CredentialsEndpoint.start(AwsFixtures.TEMPORARY);
    }

    @AfterEach
    void stop() {
        System.clearProperty(CONTAINER);
        System.clearProperty(IMDS);
        endpoint.close();
        aws.close();
    }

    private SecretProvider provider(String fetchTimeoutSeconds) {
        FakeClock clock = new FakeClock();
        Map<String, String> s = AwsFixtures.without(AwsFixtures.settings(aws), "MLFLOW_AWS_ACCESS_KEY_ID", "MLFLOW_AWS_SECRET_ACCESS_KEY");
        s.put("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", fetchTimeoutSeconds);
        s.put("AWS_CONFIG_FILE", emptyProfiles.toString()); // no profile may answer before the endpoint
        s.put("AWS_SHARED_CREDENTIALS_FILE", emptyProfiles.toString());
        return new SecretsManagerProviderFactory().create(new ProviderContext(Settings.builder().setAll(s).build(), clock,
                new ManualScheduler(clock), () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"container, HEADERS_THEN_STALL", "container, NEVER_ANSWER", "imds, HEADERS_THEN_STALL", "imds, NEVER_ANSWER"})
    void aStalledCredentialsEndpoint_failsWithinTheFetchDeadline(String kind, StallMode mode) {
        if (kind.equals("container")) {
            System.setProperty(CONTAINER, endpoint.containerCredentialsUri().toString());
        } else {
            System.setProperty(IMDS, endpoint.metadataEndpoint().toString());
        }
        try (SecretProvider healthy = provider("10")) {
            assertThat(healthy.fetch().text().orElseThrow()).contains(VALUE); // the chain works through the endpoint
        }
        assertThat(aws.signingKeys("GetSecretValue")).containsOnly(AwsFixtures.TEMPORARY.accessKeyId());
        endpoint.stalls().stall(mode, "/");
        try (SecretProvider p = provider("1")) {
            long start = System.nanoTime();
            BackendUnavailableException e = null;
            try {
                p.fetch();
            } catch (BackendUnavailableException thrown) {
                e = thrown;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("AWS default chain, %s endpoint %s: failed after %d ms (deadline %d ms)%n", kind, mode, ms, DEADLINE_MS);
            assertThat(e).as("the read failed").isNotNull();
            assertThat(e.getMessage()).startsWith("the AWS default credential chain").contains("did not answer within 1 s")
                    .contains("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC").doesNotContain("\n").doesNotContain(VALUE)
                    .doesNotContain(AwsFixtures.TEMPORARY.secretAccessKey());
            assertThat(e.isTransient()).isTrue();
            assertThat(ms).isBetween(DEADLINE_MS - 50, DEADLINE_MS + SLACK_MS);
            assertThat(endpoint.stalls().stalledCount()).isPositive();
        }
    }
}
