package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;

import java.time.Duration;

/** The proxy's settings that bound time and memory, read in one place. */
final class ProxyLimits {
    static final int DEFAULT_UPSTREAM_TIMEOUT_SEC = 60;
    static final int MAX_UPSTREAM_TIMEOUT_SEC = 3600;
    static final int DEFAULT_REPLAY_BUDGET_MB = 32;
    static final int MAX_REPLAY_BUDGET_MB = 4096;

    private ProxyLimits() {
    }

    static Duration upstreamTimeout(Settings s) {
        return ConfigValues.secondsWithin(s, ConfigKeys.PROXY_UPSTREAM_TIMEOUT_SEC, DEFAULT_UPSTREAM_TIMEOUT_SEC,
                MAX_UPSTREAM_TIMEOUT_SEC);
    }

    static long replayBudgetBytes(Settings s) {
        return ConfigValues.nonNegativeLong(s, ConfigKeys.PROXY_REPLAY_BUDGET_MB, DEFAULT_REPLAY_BUDGET_MB,
                MAX_REPLAY_BUDGET_MB, "a whole number of MiB (0 turns replays off)") << 20;
    }
}
