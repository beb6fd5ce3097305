package io.github.mlflowsecretsauth.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutorSchedulerTest {

    @Test
    void aStuckTask_delaysNeitherTimersNorOtherTasks() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch timerFired = new CountDownLatch(1);
        CountDownLatch otherRan = new CountDownLatch(1);
        try (Scheduler s = Scheduler.daemon("test")) {
            s.execute(() -> {
                stuck.countDown();
                awaitQuietly(release);
            });
            assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
            s.schedule(Duration.ofMillis(1), timerFired::countDown);
            s.execute(otherRan::countDown);
            assertThat(timerFired.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(otherRan.await(5, TimeUnit.SECONDS)).isTrue();
            release.countDown();
        }
    }

    @Test
    void aCancelledTask_neverRuns_andAThrowingTaskStopsNothing() throws InterruptedException {
        AtomicBoolean ran = new AtomicBoolean();
        CountDownLatch after = new CountDownLatch(1);
        try (Scheduler s = Scheduler.daemon("test")) {
            s.schedule(Duration.ofMillis(50), () -> ran.set(true)).cancel();
            s.execute(() -> {
                throw new IllegalStateException("boom");
            });
            s.schedule(Duration.ofMillis(100), after::countDown);
            assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(ran).isFalse();
    }

    @Test
    void threadsAreDaemons_namedAfterTheScheduler() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread[] seen = new Thread[1];
        try (Scheduler s = Scheduler.daemon("mlflow-test")) {
            s.schedule(Duration.ZERO, () -> {
                seen[0] = Thread.currentThread();
                done.countDown();
            });
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen[0].isDaemon()).isTrue();
        assertThat(seen[0].getName()).startsWith("mlflow-test-");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
