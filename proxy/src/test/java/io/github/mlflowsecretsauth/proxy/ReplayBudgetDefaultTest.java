package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay budget's default follows the heap (an eighth, at most 32 MiB); a set value is taken as it is. */
class ReplayBudgetDefaultTest {
    private static final long MIB = 1L << 20;

    @Test
    void theDefault_isAnEighthOfTheHeap_atMost32MiB() {
        assertThat(ProxyLimits.defaultReplayBudgetBytes(64 * MIB)).isEqualTo(8 * MIB);
        assertThat(ProxyLimits.defaultReplayBudgetBytes(256 * MIB)).isEqualTo(32 * MIB);
        assertThat(ProxyLimits.defaultReplayBudgetBytes(4096 * MIB)).isEqualTo(32 * MIB);
        assertThat(ProxyLimits.replayBudgetBytes(Settings.builder().setAll(Map.of()).build()))
                .isEqualTo(Math.min(32 * MIB, Runtime.getRuntime().maxMemory() / 8));
    }

    @Test
    void aSetBudget_isTakenAsItIs_evenAboveTheHeapDefault() {
        assertThat(ProxyLimits.replayBudgetBytes(Settings.builder().setAll(Map.of("MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB", "32"))
                .build())).isEqualTo(32 * MIB);
        assertThat(ProxyLimits.replayBudgetBytes(Settings.builder().setAll(Map.of("MLFLOW_SECRETS_PROXY_REPLAY_BUDGET_MB", "0"))
                .build())).isZero();
    }
}
