package io.github.mlflowsecretsauth.gcp.secretmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.gcp.testing.GcpFixtures;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Secret Manager call and the Google auth library's token call each end within MLFLOW_SECRETS_FETCH_TIMEOUT_SEC
 * when the server stalls mid-body or never answers, over real sockets, with one line naming the endpoint and the
 * setting and no secret.
 */
class SecretManagerDeadlineTest {
    static final String VALUE = "CANARY-gcp-deadline-token-31c9";
    static final long DEADLINE_MS = 1_000;
    static final long SLACK_MS = 1_500;

    @TempDir
    Path dir;
    private GcpFixtures gcp;
    private final FakeClock clock = new FakeClock();

    @BeforeEach
    void start() {
        gcp = GcpFixtures.start(dir);
        gcp.server.addVersion(GcpFixtures.SECRET, "{\"token\":\"" + VALUE + "\"}");
    }

    @AfterEach
    void stop() {
        gcp.close();
    }

    private SecretProvider provider() {
        Settings s = Settings.builder().setAll(gcp.settings("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", "1")).build();
        return new SecretManagerProviderFactory().create(new ProviderContext(s, clock, new ManualScheduler(clock),
                () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    private BackendUnavailableException failsAtTheDeadline(SecretProvider p, String what) {
        long start = System.nanoTime();
        BackendUnavailableException e = null;
        try {
            p.fetch();
        } catch (BackendUnavailableException thrown) {
            e = thrown;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("Google %s: failed after %d ms (deadline %d ms)%n", what, ms, DEADLINE_MS);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).endsWith(" did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)").doesNotContain(VALUE)
                .doesNotContain("\n");
        assertThat(ms).isBetween(DEADLINE_MS - 50, DEADLINE_MS + SLACK_MS);
        return e;
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledAccessCall_failsWithinTheDeadline(StallMode mode) {
        try (SecretProvider p = provider()) {
            gcp.server.stalls().stall(mode, "/v1/projects/");
            BackendUnavailableException e = failsAtTheDeadline(p, "access " + mode);
            assertThat(e.getMessage()).startsWith("Secret Manager at " + gcp.server.endpoint() + " did not answer");
            gcp.server.stalls().clear();
            assertThat(new String(p.fetch().bytes().orElseThrow(), StandardCharsets.UTF_8)).contains(VALUE);
        }
    }

    @ParameterizedTest
    @EnumSource(StallMode.class)
    void aStalledTokenCall_failsWithinTheDeadline(StallMode mode) {
        try (SecretProvider p = provider()) {
            gcp.server.stalls().stall(mode, "/token");
            BackendUnavailableException e = failsAtTheDeadline(p, "token endpoint " + mode);
            assertThat(e.getMessage()).startsWith("the token endpoint " + gcp.server.tokenUri() + " of service-account key");
            gcp.server.stalls().clear();
            assertThat(new String(p.fetch().bytes().orElseThrow(), StandardCharsets.UTF_8)).contains(VALUE);
        }
    }
}
