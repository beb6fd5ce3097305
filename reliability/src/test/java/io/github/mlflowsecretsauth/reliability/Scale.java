package io.github.mlflowsecretsauth.reliability;

import java.util.Locale;

/**
 * How big the scenarios run: {@code bounded} (the default, for CI: a few minutes on two cores) or
 * {@code full} ({@code make reliability}, {@code -Dreliability.scale=full}). Immutable.
 *
 * @param name          bounded or full
 * @param rotationCalls MLflow calls per rotation run
 * @param rotations     secret rotations per rotation run
 * @param clients       concurrent clients
 * @param idleConnections idle connections held open against the proxy in the hostile-input scenario
 */
record Scale(String name, int rotationCalls, int rotations, int clients, int idleConnections) {
    static final Scale BOUNDED = new Scale("bounded", 2_000, 5, 32, 1_000);
    static final Scale FULL = new Scale("full", 20_000, 20, 32, 1_000);

    /** From the system property {@code reliability.scale}; bounded unless it says full. */
    static Scale current() {
        String s = System.getProperty("reliability.scale", "bounded").strip().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "full" -> FULL;
            case "bounded", "" -> BOUNDED;
            default -> throw new IllegalArgumentException("reliability.scale must be bounded or full, not " + s);
        };
    }
}
