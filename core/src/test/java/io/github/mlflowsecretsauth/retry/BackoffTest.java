package io.github.mlflowsecretsauth.retry;

import io.github.mlflowsecretsauth.internal.Causes;
import io.github.mlflowsecretsauth.internal.HttpStatuses;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

    @Test
    void doublesToThePlateau_withEqualJitter() {
        assertThat(backoff.delayMillis(0, 0.0)).isEqualTo(125);
        assertThat(backoff.delayMillis(0, 0.999)).isBetween(249L, 250L);
        assertThat(backoff.delayMillis(1, 0.0)).isEqualTo(250);
        assertThat(backoff.delayMillis(2, 0.5)).isEqualTo(750);
        assertThat(backoff.delayMillis(3, 0.999)).isBetween(1998L, 2000L);
        assertThat(backoff.delayMillis(500, 0.999)).isBetween(1998L, 2000L); // no overflow at a huge retry count
        assertThat(backoff.delay(-1, 0.0)).isEqualTo(Duration.ofMillis(125));
    }

    @Test
    void aBackoffWithoutAPositivePlateauIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).delayMillis(5, 0.9)).isZero();
    }

    @Test
    void transientStatuses_areOneRule() {
        assertThat(HttpStatuses.isTransient(429)).isTrue();
        assertThat(HttpStatuses.isTransient(408)).isTrue();
        assertThat(HttpStatuses.isTransient(500)).isTrue();
        assertThat(HttpStatuses.isTransient(503)).isTrue();
        assertThat(HttpStatuses.isTransient(403)).isFalse();
        assertThat(HttpStatuses.isTransient(404)).isFalse();
        assertThat(HttpStatuses.isTransient(600)).isFalse();
        assertThat(HttpStatuses.isGatewayFailure(500)).isFalse();
        assertThat(HttpStatuses.isGatewayFailure(504)).isTrue();
        assertThat(HttpStatuses.isThrottled(503, false)).isFalse();
        assertThat(HttpStatuses.isThrottled(503, true)).isTrue();
    }

    @Test
    void theCauseChainIsWalkedOnce_evenWhenItLoops() {
        IOException outer = new IOException("outer");
        UnknownHostException inner = new UnknownHostException("nowhere.invalid");
        outer.initCause(inner);
        assertThat(Causes.find(outer, UnknownHostException.class)).containsSame(inner);
        assertThat(Causes.any(outer, IllegalStateException.class)).isFalse();
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b); // a loop
        assertThat(Causes.chain(a).count()).isEqualTo(2);
    }
}
