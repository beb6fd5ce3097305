package io.github.mlflowsecretsauth.proxy;

import java.time.Duration;
import java.util.Optional;

/**
 * Tunables of an {@link AuthProxy}. Immutable; the builder on {@link AuthProxy} fills the defaults.
 *
 * @param listenHost            address to bind, loopback by default
 * @param listenPort            port to bind, 0 for a free one
 * @param allowRemote           whether a non-loopback listener is allowed (then a client token is required)
 * @param clientToken           token clients must send as {@code Authorization: Bearer <token>}; never forwarded
 * @param maxReplayBytes        requests with a body up to this size are buffered so they can be replayed
 * @param maxThrottleRetries    replays of one request after 429/503
 * @param throttleBudget        total time one request may wait on 429/503 retries
 * @param connectTimeout        connecting to the upstream
 * @param idleTimeout           an idle client or upstream connection is closed after this
 * @param stopTimeout           how long a graceful stop waits for in-flight requests
 * @param upstreamTimeout       total wait of one request for the upstream's response headers, across its retries
 * @param replayBudgetBytes     memory all buffered request bodies may hold together; beyond it bodies stream
 * @param threads               the one thread pool's maximum, shared by the listener and the client towards MLflow
 */
public record ProxyOptions(String listenHost, int listenPort, boolean allowRemote, Optional<String> clientToken,
                           long maxReplayBytes, int maxThrottleRetries, Duration throttleBudget, Duration connectTimeout,
                           Duration idleTimeout, Duration stopTimeout, int maxUpstreamConnections,
                           Duration upstreamTimeout, long replayBudgetBytes, int threads) {

    @Override
    public String toString() {
        return "ProxyOptions{listen=" + listenHost + ":" + listenPort + ", allowRemote=" + allowRemote + ", clientToken="
                + (clientToken.isPresent() ? "<set>" : "<none>") + ", maxReplayBytes=" + maxReplayBytes + ", replayBudgetBytes="
                + replayBudgetBytes + ", upstreamTimeout=" + upstreamTimeout + ", threads=" + threads + "}";
    }
}
