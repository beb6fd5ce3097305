package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.internal.ProviderCatalog;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.testing.FakeClock;
import io.github.mlflowsecretsauth.testing.ManualScheduler;
import io.github.mlflowsecretsauth.testkit.fault.StallMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every backend call has one total deadline: each endpoint a provider calls (Vault's KV read, AWS Secrets Manager,
 * the AWS default chain's container credentials endpoint, Azure Key Vault and its Entra token endpoint, Google Secret
 * Manager and its token endpoint), stalled mid-body or never answering over real sockets, ends the provider's own
 * fetch (no cache in between) within MLFLOW_SECRETS_FETCH_TIMEOUT_SEC plus slack, with one line naming the setting
 * and no secret; once the stall is cleared the next fetch succeeds (nothing is stuck behind the stalled one).
 */
class BackendDeadlinesTest {
    private static final long DEADLINE_MS = 1_000;
    private static final long SLACK_MS = 1_500;

    @TempDir
    static Path dir;
    private static Backends backends;
    private final FakeClock clock = new FakeClock();

    @BeforeAll
    static void start() throws Exception {
        backends = new Backends(dir);
    }

    @AfterAll
    static void stop() {
        System.clearProperty(Backends.CONTAINER_URI);
        backends.close();
    }

    private SecretProvider provider(Map<String, String> settings, String fetchTimeoutSec) {
        Map<String, String> s = new HashMap<>(settings);
        s.put("MLFLOW_SECRETS_FETCH_TIMEOUT_SEC", fetchTimeoutSec);
        String name = s.get("MLFLOW_SECRETS_AUTH_ENABLE");
        return ProviderCatalog.discover().factory(name).create(new ProviderContext(Settings.builder().setAll(s).build(), clock,
                new ManualScheduler(clock), () -> 0.5, Duration.ofMinutes(5), () -> { }));
    }

    private String fetch(Map<String, String> settings, String fetchTimeoutSec) {
        try (SecretProvider p = provider(settings, fetchTimeoutSec)) {
            var v = p.fetch();
            return v.text().or(() -> v.fields().map(Object::toString))
                    .orElseGet(() -> new String(v.bytes().orElseThrow(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void eachStalledEndpoint_endsTheFetchWithinTheDeadline() {
        int perCase = Scale.current().name().equals("full") ? 10 : 1;
        List<String> failures = new ArrayList<>();
        for (Backends.Endpoint e : backends.endpoints()) {
            if (e.containerChain()) {
                System.setProperty(Backends.CONTAINER_URI, backends.containerCredentialsUri());
            }
            try {
                // Healthy first, with the default deadline: the real path works, and the SDKs' first call (seconds of
                // class loading, which no timeout can interrupt) is not what is measured.
                assertThat(fetch(e.settings(), "10")).as(e.name()).contains(Canary.token(0));
                for (StallMode mode : StallMode.values()) {
                    long slowest = 0;
                    int clear = 0;
                    for (int i = 0; i < perCase; i++) {
                        e.stalls().stall(mode, e.pathPrefix());
                        long started = System.nanoTime();
                        String message = null;
                        try {
                            fetch(e.settings(), "1");
                        } catch (BackendUnavailableException thrown) {
                            message = thrown.getMessage();
                        }
                        long ms = (System.nanoTime() - started) / 1_000_000;
                        slowest = Math.max(slowest, ms);
                        boolean ok = message != null && message.contains("did not answer within 1 s (MLFLOW_SECRETS_FETCH_TIMEOUT_SEC)")
                                && !message.contains("\n") && !Canary.in(message) && ms >= DEADLINE_MS - 50 && ms <= DEADLINE_MS + SLACK_MS;
                        clear += ok ? 1 : 0;
                        if (!ok) {
                            failures.add(e.name() + " " + mode + ": " + ms + " ms, " + (message == null ? "no failure"
                                    : Canary.in(message) ? "a message with the canary" : message));
                        }
                        e.stalls().clear();
                        e.stalls().release();
                    }
                    boolean recovered = fetch(e.settings(), "1").contains(Canary.token(0));
                    Results.of("backend-deadlines/" + e.name() + "/" + mode).put("deadlineMs", DEADLINE_MS).put("stalledFetches", perCase)
                            .put("clearErrorsWithinDeadline", clear).put("slowestMs", slowest).put("nextFetchSucceeded", recovered)
                            .record();
                    if (!recovered) {
                        failures.add(e.name() + " " + mode + ": the fetch after the stall failed");
                    }
                }
            } finally {
                System.clearProperty(Backends.CONTAINER_URI);
            }
        }
        assertThat(failures).isEmpty();
    }
}
