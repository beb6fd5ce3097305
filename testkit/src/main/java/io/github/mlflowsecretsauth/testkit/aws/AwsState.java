package io.github.mlflowsecretsauth.testkit.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything one {@link AwsServer} holds: region, account, known principals, expired session
 * tokens, access denials, the secrets, queued faults and the call log.
 *
 * <p>Thread-safe: concurrent maps, and the fault queue and call log lock on themselves.
 */
final class AwsState {
    final Clock clock;
    final String region;
    final SecretStore secrets;
    final SigV4Verifier verifier;
    private final Map<String, AwsPrincipal> principals = new ConcurrentHashMap<>();
    private final Set<String> expiredTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> denials = ConcurrentHashMap.newKeySet();
    private final Deque<AwsFault> faults = new ArrayDeque<>();
    private final List<AwsCall> calls = new ArrayList<>();

    AwsState(Clock clock, String region, String account, Duration maxSkew) {
        this.clock = clock;
        this.region = region;
        this.secrets = new SecretStore(clock, region, account);
        this.verifier = new SigV4Verifier(k -> Optional.ofNullable(principals.get(k)), expiredTokens::contains, clock, maxSkew);
    }

    void addPrincipal(AwsPrincipal p) {
        principals.put(p.accessKeyId(), p);
        expiredTokens.remove(p.accessKeyId());
    }

    Optional<AwsPrincipal> principal(String accessKeyId) {
        return Optional.ofNullable(principals.get(accessKeyId));
    }

    void expireSessionToken(String accessKeyId) {
        expiredTokens.add(accessKeyId);
    }

    void deny(String accessKeyId, String secretName, boolean deny) {
        String key = accessKeyId + "\n" + secretName;
        if (deny) {
            denials.add(key);
        } else {
            denials.remove(key);
        }
    }

    boolean denied(String accessKeyId, String secretName) {
        return denials.contains(accessKeyId + "\n" + secretName);
    }

    void failNext(int count, AwsFault fault) {
        synchronized (faults) {
            faults.clear();
            for (int i = 0; i < count; i++) {
                faults.add(fault);
            }
        }
    }

    Optional<AwsFault> takeFault() {
        synchronized (faults) {
            return Optional.ofNullable(faults.poll());
        }
    }

    void record(AwsCall call) {
        synchronized (calls) {
            calls.add(call);
        }
    }

    List<AwsCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    void clearCalls() {
        synchronized (calls) {
            calls.clear();
        }
    }
}
