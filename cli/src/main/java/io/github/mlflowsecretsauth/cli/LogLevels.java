package io.github.mlflowsecretsauth.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code MLFLOW_SECRETS_LOG_LEVEL} (or {@code --verbose}) to the project's loggers. */
final class LogLevels {
    private LogLevels() {
    }

    static void apply(String level) {
        if (level == null) {
            return;
        }
        Object logger = LoggerFactory.getLogger("io.github.mlflowsecretsauth");
        if (logger instanceof Logger l) {
            l.setLevel(Level.toLevel(level, Level.WARN));
        }
    }
}
