package io.github.mlflowsecretsauth.testkit.vault;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests a {@link VaultServer} has received since start or the last reset.
 *
 * <p>Thread-safe: every method synchronizes on the log.
 */
final class RequestLog {

    private final List<RecordedRequest> requests = new ArrayList<>();

    synchronized void record(RecordedRequest request) {
        requests.add(request);
    }

    synchronized List<RecordedRequest> snapshot() {
        return List.copyOf(requests);
    }

    synchronized int count() {
        return requests.size();
    }

    /**
     * Requests whose path starts with {@code prefix}; a prefix without a leading {@code /} is
     * taken as relative to {@code /v1/} (so {@code "secret/data"} and {@code "/v1/secret/data"}
     * count the same requests).
     */
    synchronized int count(String prefix) {
        String absolute = prefix.startsWith("/") ? prefix : "/v1/" + prefix;
        int count = 0;
        for (RecordedRequest request : requests) {
            if (request.path().startsWith(absolute)) {
                count++;
            }
        }
        return count;
    }

    synchronized void clear() {
        requests.clear();
    }
}
