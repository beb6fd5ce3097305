package io.github.mlflowsecretsauth.tracking.memory;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Canned responses a test asks {@link MlflowServer} to give instead of serving the next requests,
 * in the order they were asked for: {@code respondNext(2, 429, ...)} then
 * {@code redirectNext(1, ...)} answers two requests with 429 and the third with a redirect.
 *
 * <p>Thread-safe: guarded by this object's monitor.
 */
final class FaultPlan {

    /** One canned response: status, body ({@code ""} for none) and headers. */
    record Canned(int status, String body, Map<String, String> headers) {
        Canned {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("not an HTTP status: " + status);
            }
            body = body == null ? "" : body;
            headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers == null ? Map.of() : headers));
        }
    }

    private static final class Pending {
        final Canned canned;
        int left;

        Pending(Canned canned, int left) {
            this.canned = canned;
            this.left = left;
        }
    }

    private final Deque<Pending> pending = new ArrayDeque<>();

    synchronized void add(int count, Canned canned) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        if (count > 0) {
            pending.addLast(new Pending(canned, count));
        }
    }

    /** The canned response for this request, using it up, or empty to serve it normally. */
    synchronized Optional<Canned> take() {
        Pending next = pending.peekFirst();
        if (next == null) {
            return Optional.empty();
        }
        if (--next.left == 0) {
            pending.removeFirst();
        }
        return Optional.of(next.canned);
    }

    synchronized void clear() {
        pending.clear();
    }
}
