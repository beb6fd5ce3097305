package io.github.mlflowsecretsauth.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards SIGTERM, SIGHUP and SIGINT received by this JVM to a child process, so {@code exec} behaves
 * like the command it runs. Uses {@code sun.misc.Signal} (module jdk.unsupported), the only JDK way to
 * catch signals; where it is missing, the JVM's default handling stays.
 */
final class SignalForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(SignalForwarder.class);

    private SignalForwarder() {
    }

    static void forwardTo(Process child) {
        for (String name : new String[] {"TERM", "HUP", "INT"}) {
            try {
                // The child gets SIGTERM. (A terminal's Ctrl-C reaches it directly too, being in the same process group.)
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> child.destroy());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                LOG.debug("cannot forward SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
