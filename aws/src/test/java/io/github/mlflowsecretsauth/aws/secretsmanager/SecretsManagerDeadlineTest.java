package io.github.mlflowsecretsauth.aws.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GetSecretValue ends within MLFLOW_SECRETS_FETCH_TIMEOUT_SEC when Secrets Manager stalls mid-body or never answers,
 * over real sockets, through the real AWS SDK: the SDK's call timeout and the HTTP client's socket timeout are the
 * deadline; the one-line error names the endpoint and the setting, never the secret or a key.
 */
class SecretsManagerDeadlineTest {
    static final String VALUE = "CANARY-aws-deadline-token-8b1f";
    static final long DEADLINE_MS = 1_000;
    static final long SLACK_MS = 1_500;

    private AwsServer aws;

    @BeforeEach
    void start() {
        aws = AwsFixtures.server();
        aws.createSecret(AwsFixtures.SECRET, "{\"token\":\"" + VALUE + "\"}");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    /**
     * The SDK's first call in a JVM loads and initialises much (seconds on a loaded 2-core machine), and its call
     * timeout cannot interrupt class loading: warm it with the default deadline so the tests measure the stall.
     */
    @BeforeAll
    static void warmTheSdk() {
        try (AwsServer warm = AwsFixtures.server()) {
            warm.createSecret(AwsFixtures.SECRET, "{\"token\":\"warm\"}");
            long start = System.nanoTime();
            try (SecretProvider p = provider(warm, "10")) {
                p.fetch();
            }
            System.out.printf("AWS SDK first call in this JVM: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
    }

    private SecretProvider provider() {
        return provider(aws, "1");
    }

    private static SecretProvider provider(AwsServer aws, String fetchTimeoutSeconds) {
        FakeClock clock = new FakeClock();
        Map<String, String> s = AwsFixtures.settings(aws);
        s.put("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", fetchTimeoutSeconds);
        return new SecretsManagerProviderFactory().create(new ProviderContext(Settings.builder().setAll(s).build(), clock,
                new ManualScheduler(clock), () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledGetSecretValue_failsWithinTheDeadline(StallMode mode) {
        try (SecretProvider p = provider()) {
            assertThat(p.fetch().text().orElseThrow()).contains(VALUE);
            aws.stalls().stall(mode, "/");
            long start = System.nanoTime();
            BackendUnavailableException e = null;
            try {
                p.fetch();
            } catch (BackendUnavailableException thrown) {
                e = thrown;
            }
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("AWS GetSecretValue %s: failed after %d ms (deadline %d ms)%n", mode, ms, DEADLINE_MS);
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).isEqualTo("AWS Secrets Manager at " + aws.endpoint() + " did not answer within 1 s "
                    + "(MLFLOW_SECRETS_FETCH_TIMEOUT_SEC) when reading '" + AwsFixtures.SECRET + "' in " + aws.region())
                    .doesNotContain(VALUE).doesNotContain(AwsFixtures.PROJECT_SECRET_KEY);
            assertThat(e.isTransient()).isTrue();
            assertThat(ms).isBetween(DEADLINE_MS - 50, DEADLINE_MS + SLACK_MS);
            aws.stalls().clear();
            assertThat(p.fetch().text().orElseThrow()).contains(VALUE); // the next call is not stuck behind the stalled one
        }
    }
}
