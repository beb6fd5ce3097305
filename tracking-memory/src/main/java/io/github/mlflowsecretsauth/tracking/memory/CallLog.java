package io.github.mlflowsecretsauth.tracking.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The requests {@link MlflowServer} received, oldest first.
 *
 * <p>Thread-safe: guarded by this object's monitor.
 */
final class CallLog {

    private final List<RecordedCall> calls = new ArrayList<>();

    synchronized void record(RecordedCall call) {
        calls.add(call);
    }

    synchronized List<RecordedCall> snapshot() {
        return List.copyOf(calls);
    }

    synchronized int count() {
        return calls.size();
    }

    synchronized int count(String pathSuffix) {
        return (int) calls.stream().filter(call -> call.path().endsWith(pathSuffix)).count();
    }

    synchronized void clear() {
        calls.clear();
    }
}
