package io.github.mlflowsecretsauth.retry;

import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.MalformedSecretException;
import io.github.mlflowsecretsauth.error.ProviderChainException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryPolicyTest {
    private static final Duration BASE = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(5);

    private final List<Duration> sleeps = new ArrayList<>();
    private final RetryPolicy.Sleeper recorder = sleeps::add;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private RetryPolicy policy(int maxRetries, DoubleSupplier random) {
        return new RetryPolicy(maxRetries, BASE, MAX, recorder, random);
    }

    private static BackendUnavailableException transientFailure(String msg) {
        return new BackendUnavailableException(msg, null);
    }

    /** A call that fails with the given exceptions in turn, then returns "ok". */
    private static final class Script implements Supplier<String> {
        final AtomicInteger calls = new AtomicInteger();
        final List<RuntimeException> failures;

        Script(RuntimeException... failures) {
            this.failures = List.of(failures);
        }

        @Override
        public String get() {
            int n = calls.getAndIncrement();
            if (n < failures.size()) {
                throw failures.get(n);
            }
            return "ok";
        }
    }

    // --- retrying ---------------------------------------------------------------------------------

    @Test
    void success_isReturnedWithoutSleeping() {
        Script s = new Script();
        assertThat(policy(3, () -> 0.5).call("read", s)).isEqualTo("ok");
        assertThat(s.calls).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void transientFailures_areRetriedUntilSuccess() {
        Script s = new Script(transientFailure("503"), transientFailure("connection refused"));
        assertThat(policy(3, () -> 0.5).call("read", s)).isEqualTo("ok");
        assertThat(s.calls).hasValue(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void transientFailures_areRetriedAtMostMaxRetriesTimes_thenTheLastFailureIsThrown() {
        BackendUnavailableException last = transientFailure("third");
        Script s = new Script(transientFailure("first"), transientFailure("second"), last, transientFailure("never"));
        assertThatThrownBy(() -> policy(2, () -> 0.5).call("read", s)).isSameAs(last);
        assertThat(s.calls).hasValue(3);
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void zeroRetries_meansOneAttempt() {
        BackendUnavailableException e = transientFailure("down");
        Script s = new Script(e);
        assertThatThrownBy(() -> policy(0, () -> 0.5).call("read", s)).isSameAs(e);
        assertThat(s.calls).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    static Stream<SecretsAuthException> permanentFailures() {
        return Stream.of(new AccessDeniedException("403 permission denied"),
                new SecretNotFoundException("no secret at secret/mlflow/auth"),
                new MalformedSecretException("the secret at x is empty"),
                new ConfigurationException("VAULT_ADDR is not set"),
                new BackendUnavailableException("TLS trust failure", null, false, null),
                new SecretsAuthException("generic"));
    }

    @ParameterizedTest
    @MethodSource("permanentFailures")
    void permanentFailures_areNeverRetried(SecretsAuthException failure) {
        Script s = new Script(failure);
        assertThatThrownBy(() -> policy(5, () -> 0.5).call("read", s)).isSameAs(failure);
        assertThat(s.calls).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void permanentFailureAfterTransientOne_stopsRetrying() {
        AccessDeniedException denied = new AccessDeniedException("403");
        Script s = new Script(transientFailure("503"), denied, transientFailure("never reached"));
        assertThatThrownBy(() -> policy(5, () -> 0.5).call("read", s)).isSameAs(denied);
        assertThat(s.calls).hasValue(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void nonProjectExceptions_propagateWithoutRetry() {
        IllegalStateException bug = new IllegalStateException("bug");
        Script s = new Script(bug);
        assertThatThrownBy(() -> policy(5, () -> 0.5).call("read", s)).isSameAs(bug);
        assertThat(s.calls).hasValue(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void providerChainWithTransientFailure_isRetried_withExponentialDelay() {
        ProviderChainException chain = new ProviderChainException(
                List.of(new AccessDeniedException("denied"), transientFailure("503")), List.of("vault", "file"));
        Script s = new Script(chain);
        assertThat(policy(2, () -> 1.0).call("read", s)).isEqualTo("ok");
        assertThat(sleeps).containsExactly(Duration.ofMillis(200));
    }

    @Test
    void interruptedWhileSleeping_throwsTheFailureAndKeepsTheInterruptFlag() {
        BackendUnavailableException e = transientFailure("503");
        Script s = new Script(e, transientFailure("never reached"));
        RetryPolicy p = new RetryPolicy(3, BASE, MAX, d -> {
            throw new InterruptedException();
        }, () -> 0.5);
        assertThatThrownBy(() -> p.call("read", s)).isSameAs(e);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(s.calls).hasValue(1);
    }

    // --- delays -----------------------------------------------------------------------------------

    @Test
    void recordedDelays_growExponentially() {
        Script s = new Script(transientFailure("1"), transientFailure("2"), transientFailure("3"), transientFailure("4"));
        policy(4, () -> 1.0).call("read", s);
        assertThat(sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(1600));
    }

    @Test
    void delay_lowestJitter_isHalfTheExponentialStep() {
        RetryPolicy p = policy(10, () -> 0.0);
        assertThat(p.delay(0, null)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delay(1, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delay(2, null)).isEqualTo(Duration.ofMillis(400));
        assertThat(p.delay(3, null)).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void delay_midJitter_isThreeQuartersOfTheStep() {
        assertThat(policy(10, () -> 0.5).delay(2, null)).isEqualTo(Duration.ofMillis(600));
    }

    @Test
    void delay_isCappedAtMaxDelay() {
        RetryPolicy full = policy(10, () -> 1.0);
        assertThat(full.delay(5, null)).isEqualTo(MAX);
        assertThat(full.delay(50, null)).isEqualTo(MAX);
        assertThat(full.delay(Integer.MAX_VALUE, null)).isEqualTo(MAX);
        assertThat(policy(10, () -> 0.0).delay(50, null)).isEqualTo(MAX.dividedBy(2));
    }

    @Test
    void delay_withRandomJitter_staysWithinHalfToFullOfTheStep() {
        Random rnd = new Random(42);
        RetryPolicy p = policy(10, rnd::nextDouble);
        for (int retry = 0; retry < 12; retry++) {
            long step = Math.min(MAX.toMillis(), BASE.toMillis() << retry);
            for (int i = 0; i < 200; i++) {
                long d = p.delay(retry, null).toMillis();
                assertThat(d).as("retry %d", retry).isBetween(step / 2, step);
            }
        }
    }

    @Test
    void delay_withRandomJitter_actuallyVaries() {
        Random rnd = new Random(7);
        RetryPolicy p = policy(10, rnd::nextDouble);
        assertThat(Stream.generate(() -> p.delay(3, null)).limit(50).distinct().count()).isGreaterThan(10);
    }

    @Test
    void retryAfter_isHonoured() {
        BackendUnavailableException throttled = new BackendUnavailableException("429", null, true, Duration.ofSeconds(3));
        Script s = new Script(throttled);
        assertThat(policy(2, () -> 0.0).call("read", s)).isEqualTo("ok");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void retryAfter_isCappedAtMaxDelay() {
        BackendUnavailableException throttled = new BackendUnavailableException("429", null, true, Duration.ofSeconds(120));
        Script s = new Script(throttled);
        policy(2, () -> 0.0).call("read", s);
        assertThat(sleeps).containsExactly(MAX);
    }

    @Test
    void retryAfter_shorterThanBase_isUsedAsIs() {
        BackendUnavailableException e = new BackendUnavailableException("503", null, true, Duration.ofMillis(10));
        assertThat(policy(2, () -> 1.0).delay(4, e)).isEqualTo(Duration.ofMillis(10));
        assertThat(policy(2, () -> 1.0).delay(0, new BackendUnavailableException("503", null, true, Duration.ZERO)))
                .isZero();
    }

    @Test
    void retryAfter_appliesOnlyToTheFailureThatCarriedIt() {
        Script s = new Script(transientFailure("503"),
                new BackendUnavailableException("429", null, true, Duration.ofSeconds(2)), transientFailure("503"));
        policy(3, () -> 1.0).call("read", s);
        assertThat(sleeps).containsExactly(Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofMillis(800));
    }

    @Test
    void retryAfter_negative_isClampedToZero() {
        BackendUnavailableException e = new BackendUnavailableException("429", null, true, Duration.ofSeconds(-5));
        assertThat(policy(2, () -> 0.5).delay(0, e)).isZero();
        assertThat(policy(2, () -> 1.0).delay(3, e)).isZero();
        assertThat(policy(2, () -> 0.5).delay(0, new BackendUnavailableException("429", null, true, Duration.ofMillis(-1))))
                .isZero();
        assertThat(policy(2, () -> 0.5).delay(0, new BackendUnavailableException("429", null, true,
                Duration.ofSeconds(Long.MIN_VALUE)))).isZero();
    }

    @Test
    void retryAfter_negative_isRetriedWithoutWaiting() {
        BackendUnavailableException throttled = new BackendUnavailableException("429", null, true, Duration.ofSeconds(-5));
        Script s = new Script(throttled);
        assertThat(policy(2, () -> 1.0).call("read", s)).isEqualTo("ok");
        assertThat(s.calls).hasValue(2);
        assertThat(sleeps).containsExactly(Duration.ZERO);
    }

    @Test
    void retryAfter_negative_withARealSleeper_retriesInsteadOfThrowing() {
        // Thread.sleep rejects a negative time with IllegalArgumentException, which must never escape call()
        List<Duration> slept = new ArrayList<>();
        RetryPolicy p = new RetryPolicy(2, BASE, MAX, d -> {
            slept.add(d);
            Thread.sleep(d.toMillis());
        }, () -> 1.0);
        Script s = new Script(new BackendUnavailableException("429", null, true, Duration.ofSeconds(-5)));
        assertThat(p.call("read", s)).isEqualTo("ok");
        assertThat(s.calls).hasValue(2);
        assertThat(slept).containsExactly(Duration.ZERO);
    }

    // --- construction -----------------------------------------------------------------------------

    @Test
    void defaults_are200msBaseAnd5sCap() {
        RetryPolicy p = RetryPolicy.defaults(3, recorder, () -> 1.0);
        assertThat(p.maxRetries()).isEqualTo(3);
        assertThat(p.delay(0, null)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delay(20, null)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void invalidSettings_areRejected() {
        assertThatThrownBy(() -> new RetryPolicy(-1, BASE, MAX, recorder, () -> 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofMillis(-1), MAX, recorder, () -> 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(1, MAX, BASE, recorder, () -> 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void equalBaseAndMax_isAllowed() {
        RetryPolicy p = new RetryPolicy(1, BASE, BASE, recorder, () -> 1.0);
        assertThat(p.delay(3, null)).isEqualTo(BASE);
    }
}
