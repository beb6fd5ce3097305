package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.SecretsAuth.RejectionOutcome;
import io.github.mlflowsecretsauth.proxy.ReplayPolicy.Decision;
import io.github.mlflowsecretsauth.proxy.ReplayPolicy.Kind;
import io.github.mlflowsecretsauth.proxy.ReplayPolicy.Reason;
import io.github.mlflowsecretsauth.proxy.ReplayPolicy.Replays;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy's replay decisions, status and attempt in, decision out: no sockets, no clock. */
class ReplayPolicyTest {
    private static final Predicate<Duration> ANY_WAIT = d -> true;
    private final ReplayPolicy policy = new ReplayPolicy(3, Duration.ofSeconds(10), () -> 0.0);

    private static ReplayPolicy.Request get(Replays used) {
        return new ReplayPolicy.Request(true, true, used, ANY_WAIT);
    }

    private static ReplayPolicy.Request post(Replays used) {
        return new ReplayPolicy.Request(true, false, used, ANY_WAIT);
    }

    @Test
    void aRejectedCredentialIsReplayedOnce_withAFreshOne() {
        Decision d = policy.onStatus(401, null, RejectionOutcome.DROPPED, post(Replays.NONE));
        assertThat(d.kind()).isEqualTo(Kind.REPLAY_AFTER_REFRESH);
        assertThat(d.delay()).isZero();
        Replays after = Replays.NONE.after(d);
        assertThat(policy.onStatus(403, null, RejectionOutcome.DROPPED, post(after)).kind()).isEqualTo(Kind.PASS);
    }

    @Test
    void noReplay_whenTheEngineKeepsTheSameCredential_orTheBodyIsGone_orNoCredentialWasSent() {
        assertThat(policy.onStatus(401, null, RejectionOutcome.BACKING_OFF, get(Replays.NONE)).passes()).isTrue();
        assertThat(policy.onStatus(401, null, RejectionOutcome.ALREADY_FRESH, get(Replays.NONE)).kind())
                .isEqualTo(Kind.REPLAY_AFTER_REFRESH);
        ReplayPolicy.Request streamed = new ReplayPolicy.Request(false, true, Replays.NONE, ANY_WAIT);
        assertThat(policy.onStatus(401, null, RejectionOutcome.DROPPED, streamed).passes()).isTrue();
        assertThat(policy.onStatus(401, null, null, get(Replays.NONE)).passes()).isTrue();
    }

    @Test
    void throttling_honoursRetryAfter_withinTheBudget_andCountsEachWait() {
        Decision d = policy.onStatus(429, "2", null, post(Replays.NONE));
        assertThat(d).isEqualTo(new Decision(Kind.RETRY_AFTER, Reason.THROTTLED, Duration.ofSeconds(2)));
        Replays used = Replays.NONE.after(d).after(d).after(d);
        assertThat(used.throttleRetries()).isEqualTo(3);
        assertThat(used.throttleWaitedMillis()).isEqualTo(6000);
        assertThat(policy.onStatus(429, "2", null, post(used)).passes()).as("the fourth retry is over the limit").isTrue();
        Replays waited = new Replays(false, 1, 9000, 0);
        assertThat(policy.onStatus(429, "2", null, post(waited)).passes()).as("over the 10 s budget").isTrue();
        assertThat(policy.onStatus(429, "3600", null, post(Replays.NONE)).delay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void throttling_withoutOrWithAnUnreadableRetryAfter_backsOffItself() {
        assertThat(policy.onStatus(429, null, null, post(Replays.NONE)).delay()).isEqualTo(Duration.ofMillis(125));
        assertThat(policy.onStatus(429, "Wed, 21 Oct 2015 07:28:00 GMT", null, post(new Replays(false, 2, 0, 0))).delay())
                .isEqualTo(Duration.ofMillis(500));
        assertThat(policy.onStatus(429, "-5", null, post(Replays.NONE)).delay()).isEqualTo(Duration.ofMillis(125));
        assertThat(policy.onStatus(503, null, null, post(Replays.NONE)).passes())
                .as("a 503 without Retry-After is a gateway failure, and a POST is not retried").isTrue();
    }

    @Test
    void gatewayFailures_retryIdempotentRequestsOnly_twice_withinTheDeadline() {
        Decision first = policy.onStatus(502, null, null, get(Replays.NONE));
        assertThat(first).isEqualTo(new Decision(Kind.RETRY_AFTER, Reason.FAILED, Duration.ofMillis(125)));
        Replays once = Replays.NONE.after(first);
        assertThat(policy.onStatus(504, null, null, get(once)).delay()).isEqualTo(Duration.ofMillis(250));
        assertThat(policy.onStatus(503, null, null, get(once.after(first))).passes()).isTrue();
        assertThat(policy.onStatus(502, null, null, post(Replays.NONE)).passes()).isTrue();
        assertThat(policy.onStatus(500, null, null, get(Replays.NONE)).passes()).as("the server answered itself").isTrue();
        ReplayPolicy.Request late = new ReplayPolicy.Request(true, true, Replays.NONE, d -> false);
        assertThat(policy.onFailure(late).passes()).as("no time left before the deadline").isTrue();
        assertThat(policy.onFailure(get(Replays.NONE)).kind()).isEqualTo(Kind.RETRY_AFTER);
    }

    @Test
    void successfulAnswersPass() {
        for (int status : new int[] {200, 201, 204, 301, 400, 404, 409}) {
            assertThat(policy.onStatus(status, null, null, get(Replays.NONE)).passes()).as("HTTP %d", status).isTrue();
        }
    }
}
