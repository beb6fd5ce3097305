package io.github.mlflowsecretsauth.reliability;

/**
 * The canary: a secret value that runs through every scenario. {@link LeakScanIT} fails the build if
 * it appears in any log line, report, CLI output or result file of the test run.
 */
final class Canary {
    /** Every credential the suite hands out contains this. Never printed by the suite itself. */
    static final String VALUE = "cnry7Q2xLeakProbe";

    private Canary() {
    }

    /** The token of rotation {@code n}: unique per rotation, always carrying the canary. */
    static String token(int n) {
        return VALUE + "-tok-" + n;
    }

    /** Whether {@code text} carries the canary. */
    static boolean in(String text) {
        return text != null && text.contains(VALUE);
    }
}
