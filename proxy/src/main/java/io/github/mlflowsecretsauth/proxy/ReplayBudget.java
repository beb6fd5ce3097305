package io.github.mlflowsecretsauth.proxy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all request bodies buffered for a replay may hold together. A request that does not fit streams
 * through without the replay, so many concurrent uploads cannot exhaust the heap. Thread-safe, lock-free.
 */
final class ReplayBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    ReplayBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code bytes} from the budget if they fit; the caller must {@link #release} them after. */
    boolean tryReserve(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
