package io.github.mlflowsecretsauth.cli;

import java.util.concurrent.TimeUnit;

/**
 * Run inside a pseudo-terminal by {@link SignalForwarderTest}: starts a child in this JVM's process group and one in
 * a session of its own, and prints what {@link SignalForwarder#terminalSignalledBoth} says of each.
 */
public final class TerminalGroupProbe {
    private TerminalGroupProbe() {
    }

    public static void main(String[] args) throws Exception {
        Process same = new ProcessBuilder("sleep", "30").start();
        Process own = new ProcessBuilder("setsid", "sleep", "30").start();
        System.out.println("same-group=" + SignalForwarder.terminalSignalledBoth(same.pid())
                + " own-session=" + SignalForwarder.terminalSignalledBoth(own.pid()));
        same.destroy();
        own.destroy();
        same.waitFor(10, TimeUnit.SECONDS);
        own.waitFor(10, TimeUnit.SECONDS);
    }
}
