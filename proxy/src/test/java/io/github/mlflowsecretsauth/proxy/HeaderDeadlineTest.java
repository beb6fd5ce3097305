package io.github.mlflowsecretsauth.proxy;

import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The header deadline's timer. Jetty's client may report an answer's headers before it reports the request as sent;
 * a timer armed after the answer would hold the whole exchange in memory until the deadline, which under load kept
 * thousands of finished exchanges alive and starved a small heap (found by the warm-up benchmark).
 */
class HeaderDeadlineTest {
    private final ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("deadline-test", true);
    private final AtomicInteger expired = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        scheduler.start();
    }

    @AfterEach
    void stop() throws Exception {
        scheduler.stop();
    }

    /** Waits until the scheduler has run everything due within {@code millis}: a marker task queued behind them. */
    private void drain(long millis) throws InterruptedException {
        CountDownLatch marker = new CountDownLatch(1);
        scheduler.schedule(marker::countDown, millis, TimeUnit.MILLISECONDS);
        assertThat(marker.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anAnswerBeforeTheSentEvent_armsNoTimer() throws Exception {
        HeaderDeadline d = new HeaderDeadline(Duration.ofMillis(1));
        d.begin();
        d.answered();
        d.sent(scheduler, expired::incrementAndGet);
        drain(50);
        assertThat(expired).hasValue(0);
    }

    @Test
    void aSentAttemptWithoutAnswer_expires_andAnAnsweredOneDoesNot() throws Exception {
        HeaderDeadline silent = new HeaderDeadline(Duration.ofMillis(1));
        silent.begin();
        silent.sent(scheduler, expired::incrementAndGet);
        HeaderDeadline answered = new HeaderDeadline(Duration.ofMillis(1));
        answered.begin();
        answered.sent(scheduler, expired::incrementAndGet);
        answered.answered();
        drain(50);
        assertThat(expired).as("only the silent attempt expired").hasValue(1);
    }

    @Test
    void aRetry_isTimedAgain_afterAnAnsweredFirstAttempt() throws Exception {
        HeaderDeadline d = new HeaderDeadline(Duration.ofMillis(1));
        d.begin();
        d.answered(); // a 503: the policy retries
        d.begin();
        d.sent(scheduler, expired::incrementAndGet); // the retry gets no answer
        drain(50);
        assertThat(expired).hasValue(1);
    }
}
