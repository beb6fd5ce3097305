package io.github.mlflowsecretsauth.redact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The secret values one engine holds: provider credentials (tokens, secret ids, client secrets) and the
 * MLflow credential it fetched. Text that came from outside (a backend's error list, a gateway's page)
 * is passed through {@link #scrub} before it reaches a message, a log line or an HTTP answer, since a
 * misbehaving server may echo what it was sent.
 *
 * <p>Per engine, not global: two engines in one JVM (tests, a library user with two servers) hold
 * different secrets, and closing one must not leave its values in a process-wide list. Bounded: the
 * newest {@link #MAX_VALUES} values are kept, so rotations do not grow it. Only error paths scrub, so
 * the cost (each value searched for in the text) never touches a request. Thread-safe.
 */
public final class KnownSecrets {
    /** Enough for every credential of a provider chain and the MLflow credentials of many rotations. */
    public static final int MAX_VALUES = 64;
    /** Shorter values are not scrubbed: a two-letter value would mangle every message and hides nothing. */
    public static final int MIN_LENGTH = 4;

    private final LinkedHashSet<String> values = new LinkedHashSet<>(); // guarded by this; oldest first
    private volatile List<String> longestFirst = List.of();

    /** Remembers {@code value} (null, blank and short values are ignored). */
    public void add(String value) {
        if (value == null || value.strip().length() < MIN_LENGTH) {
            return;
        }
        synchronized (this) {
            values.remove(value);
            values.add(value);
            while (values.size() > MAX_VALUES) {
                values.remove(values.iterator().next());
            }
            List<String> sorted = new ArrayList<>(values);
            // Longest first, so a value that contains another is masked whole.
            sorted.sort(Comparator.comparingInt(String::length).reversed());
            longestFirst = List.copyOf(sorted);
        }
    }

    /** {@code text} with every known value masked ({@link Redactor#mask}); null stays null. */
    public String scrub(String text) {
        return Redactor.scrub(text, longestFirst);
    }

    /** Whether {@code text} holds a known value. */
    public boolean appearsIn(String text) {
        if (text == null) {
            return false;
        }
        for (String v : longestFirst) {
            if (text.contains(v)) {
                return true;
            }
        }
        return false;
    }

    public int size() {
        return longestFirst.size();
    }

    @Override
    public String toString() {
        return "KnownSecrets{" + size() + " values}";
    }
}
