package io.github.mlflowsecretsauth.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT received by this JVM to the child as themselves (SIGINT stays
 * SIGINT, so a Python child gets {@code KeyboardInterrupt}), while {@code exec} waits for the child's exit code.
 * Uses {@code sun.misc.Signal} (module jdk.unsupported), the only JDK way to catch signals. HotSpot keeps SIGQUIT
 * for its thread dumps, so that one is refused and logged at debug level (Ctrl-\ in a terminal still reaches the
 * child, which shares the terminal's process group).
 *
 * <p>A keyboard signal (INT, QUIT) is not sent again when the child is in the terminal's foreground process group
 * together with {@code exec}: the terminal signalled the whole group, so the child has it already (as uv does).
 * A signal that arrives while the child is being started is sent to it once it runs. {@link #close} restores the
 * previous handlers.
 */
final class SignalForwarder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SignalForwarder.class);
    static final List<String> SIGNALS = List.of("INT", "TERM", "HUP", "QUIT");

    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private final List<String> early = new ArrayList<>(); // guarded by this: signals received before the child existed
    private Process child; // guarded by this

    private SignalForwarder() {
    }

    /** Installs the handlers; call before starting the child, so no signal finds the JVM's default (exit) handler. */
    static SignalForwarder install() {
        SignalForwarder f = new SignalForwarder();
        for (String name : SIGNALS) {
            try {
                Signal sig = new Signal(name);
                f.previous.put(sig, Signal.handle(sig, s -> f.forward(name)));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot forward SIG{}: {}", name, e.getMessage());
            }
        }
        return f;
    }

    /** Forwards to {@code started} from now on, first any signal that arrived while it was being started. */
    void attach(Process started) {
        List<String> pending;
        synchronized (this) {
            child = started;
            pending = List.copyOf(early);
            early.clear();
        }
        pending.forEach(this::forward);
    }

    /** Sends SIG{@code name} to the child, unless it is gone or already got it from the terminal. */
    void forward(String name) {
        Process target;
        synchronized (this) {
            if (child == null) {
                early.add(name);
                return;
            }
            target = child;
        }
        long pid = target.pid();
        if (!target.isAlive() || ((name.equals("INT") || name.equals("QUIT")) && terminalSignalledBoth(pid))) {
            return;
        }
        try { // the shell's kill builtin: present wherever sh is, unlike a kill binary
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s \"$0\" \"$1\"", name, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.debug("cannot forward SIG{} to {}: {}", name, pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this process and the child are both in their terminal's foreground process group (Linux /proc). */
    static boolean terminalSignalledBoth(long childPid) {
        long[] self = groups(Path.of("/proc/self/stat"));
        long[] other = groups(Path.of("/proc/" + childPid + "/stat"));
        return self != null && other != null && self[1] > 0 && self[0] == self[1] && other[0] == self[1];
    }

    /** {pgrp, tpgid} from a /proc stat file, or null; fields 5 and 8, counted after the command's closing ')'. */
    static long[] groups(Path stat) {
        try {
            String s = Files.readString(stat, StandardCharsets.US_ASCII);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[2]), Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() {
        previous.forEach((sig, handler) -> {
            try {
                Signal.handle(sig, handler);
            } catch (IllegalArgumentException e) {
                LOG.debug("cannot restore the handler of SIG{}: {}", sig.getName(), e.getMessage());
            }
        });
    }
}
