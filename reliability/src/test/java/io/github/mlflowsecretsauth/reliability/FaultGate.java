package io.github.mlflowsecretsauth.reliability;

import io.github.mlflowsecretsauth.tracking.memory.RequestGate;
import org.eclipse.jetty.server.Request;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Upstream faults the testkit MLflow server's canned answers cannot give: the next N requests have
 * their connection reset before any answer, or requests carrying {@code X-Reliability-Delay-Ms} are
 * held that long and then served (a slow server that still does the work). Thread-safe.
 */
final class FaultGate implements RequestGate {
    static final String DELAY_HEADER = "X-Reliability-Delay-Ms";
    private final AtomicInteger resetsLeft = new AtomicInteger();

    void resetNext(int n) {
        resetsLeft.set(n);
    }

    @Override
    public Optional<Rejection> check(Request request, byte[] body) {
        if (resetsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            request.getConnectionMetaData().getConnection().getEndPoint().close(); // RST/EOF, no answer
            return Optional.of(new Rejection(500, "{}"));
        }
        String delay = request.getHeaders().get(DELAY_HEADER);
        if (delay != null) {
            try {
                Thread.sleep(Long.parseLong(delay)); // the server is slow; the test itself never waits on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.empty();
    }
}
