package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth.RejectionOutcome;
import io.github.mlflowsecretsauth.internal.HttpStatuses;
import io.github.mlflowsecretsauth.retry.Backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * Decides what the proxy does with the upstream's answer to one attempt of a request: pass it to the client, replay
 * it once with a fresh credential (after a 401/403 to the credential it carried), or send it again after a delay
 * (a 429, a 503 with {@code Retry-After}, or a gateway failure of an idempotent request). Pure: the caller supplies
 * the request's state and whether its deadline allows a wait; randomness is injected. Immutable, thread-safe.
 */
final class ReplayPolicy {
    /** PASS: answer the client; REPLAY_AFTER_REFRESH: once, at once, with a fresh credential; RETRY_AFTER: later. */
    enum Kind { PASS, REPLAY_AFTER_REFRESH, RETRY_AFTER }

    /** Why a request is retried; counted separately, each with its own limit. */
    enum Reason { NONE, REJECTED, THROTTLED, FAILED }

    record Decision(Kind kind, Reason reason, Duration delay) {
        static final Decision PASS = new Decision(Kind.PASS, Reason.NONE, Duration.ZERO);

        boolean passes() {
            return kind == Kind.PASS;
        }
    }

    /** What one request has used so far. Immutable: {@link #after} gives the next state. */
    record Replays(boolean authReplayed, int throttleRetries, long throttleWaitedMillis, int failureRetries) {
        static final Replays NONE = new Replays(false, 0, 0, 0);

        Replays after(Decision d) {
            return switch (d.reason()) {
                case REJECTED -> new Replays(true, throttleRetries, throttleWaitedMillis, failureRetries);
                case THROTTLED -> new Replays(authReplayed, throttleRetries + 1,
                        throttleWaitedMillis + d.delay().toMillis(), failureRetries);
                case FAILED -> new Replays(authReplayed, throttleRetries, throttleWaitedMillis, failureRetries + 1);
                case NONE -> this;
            };
        }
    }

    /** The request as the policy sees it. {@code deadlineAllows} says whether a wait still fits its deadline. */
    record Request(boolean replayable, boolean idempotent, Replays replays, Predicate<Duration> deadlineAllows) {
    }

    static final int MAX_FAILURE_RETRIES = 2;
    private static final Backoff FAILURE_BACKOFF = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));

    private final int maxThrottleRetries;
    private final Duration throttleBudget;
    private final Backoff throttleBackoff;
    private final DoubleSupplier random;

    ReplayPolicy(int maxThrottleRetries, Duration throttleBudget, DoubleSupplier random) {
        this.maxThrottleRetries = maxThrottleRetries;
        this.throttleBudget = throttleBudget;
        this.throttleBackoff = new Backoff(Duration.ofMillis(Math.min(250, throttleBudget.toMillis())), throttleBudget);
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * For an answer with {@code status}. {@code rejection} is what the engine did with the credential the request
     * carried, for a 401/403 to a credential (else null); {@code retryAfter} is the header's value or null.
     */
    Decision onStatus(int status, String retryAfter, RejectionOutcome rejection, Request r) {
        if ((status == 401 || status == 403) && rejection != null) {
            boolean fresher = rejection != RejectionOutcome.BACKING_OFF; // else a replay only repeats the rejection
            return r.replayable() && !r.replays().authReplayed() && fresher
                    ? new Decision(Kind.REPLAY_AFTER_REFRESH, Reason.REJECTED, Duration.ZERO) : Decision.PASS;
        }
        if (HttpStatuses.isThrottled(status, retryAfter != null) && r.replayable()) {
            Duration wait = throttleDelay(retryAfter, r.replays().throttleRetries());
            Replays used = r.replays();
            if (used.throttleRetries() < maxThrottleRetries && r.deadlineAllows().test(wait)
                    && used.throttleWaitedMillis() + wait.toMillis() <= throttleBudget.toMillis()) {
                return new Decision(Kind.RETRY_AFTER, Reason.THROTTLED, wait);
            }
        }
        return HttpStatuses.isGatewayFailure(status) ? onFailure(r) : Decision.PASS;
    }

    /** For an attempt that got no answer (connection refused or reset, no headers in time) or a gateway failure. */
    Decision onFailure(Request r) {
        Duration wait = FAILURE_BACKOFF.delay(r.replays().failureRetries(), random.getAsDouble());
        boolean retry = r.replayable() && r.idempotent() && r.replays().failureRetries() < MAX_FAILURE_RETRIES
                && r.deadlineAllows().test(wait);
        return retry ? new Decision(Kind.RETRY_AFTER, Reason.FAILED, wait) : Decision.PASS;
    }

    /** The server's {@code Retry-After} in seconds, else the backoff; never more than the throttle budget. */
    private Duration throttleDelay(String retryAfter, int retries) {
        if (retryAfter != null) {
            try {
                long seconds = Long.parseLong(retryAfter.strip());
                if (seconds >= 0) {
                    return Duration.ofMillis(Math.min(Math.multiplyExact(seconds, 1000L), throttleBudget.toMillis()));
                }
            } catch (NumberFormatException | ArithmeticException ignored) {
                // an HTTP date, or nonsense: our own backoff
            }
        }
        return throttleBackoff.delay(retries, random.getAsDouble());
    }
}
