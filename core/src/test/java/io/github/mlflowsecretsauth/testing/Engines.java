package io.github.mlflowsecretsauth.testing;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Builds engines for tests: explicit settings only (never the developer's environment), a fake clock,
 * a manual scheduler and a sleeper that records instead of sleeping.
 */
public final class Engines {
    public final FakeClock clock = new FakeClock();
    public final ManualScheduler scheduler = new ManualScheduler(clock);
    public final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public SecretsAuth engine(Map<String, String> settings) {
        return SecretsAuth.builder().settings(Settings.builder().setAll(settings).build()).clock(clock)
                .scheduler(scheduler).sleeper(sleeps::add).random(() -> 0.5).build();
    }
}
