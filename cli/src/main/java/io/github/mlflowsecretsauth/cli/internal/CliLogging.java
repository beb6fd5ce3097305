package io.github.mlflowsecretsauth.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.function.BooleanSupplier;

/**
 * The CLI's logging, set up in code rather than from a {@code logback.xml}: parsing XML loads Logback's Joran and
 * the JDK's XML parser, about 600 classes and a share of every start-up (docs/PERFORMANCE.md). Log lines go to
 * stderr, so reports on stdout stay clean, as {@code mlflow-secrets-auth: LEVEL: message}; the project's loggers at
 * WARN ({@code MLFLOW_SECRETS_LOG_LEVEL} changes that later), everything else at ERROR. A {@code logback-test.xml}
 * or {@code logback.xml} on the class path, or {@code -Dlogback.configurationFile}, still wins: this configurator
 * then steps aside for Logback's own (their ranks are equal, so the order alone would not decide it).
 */
@ConfiguratorRank(ConfiguratorRank.NOMINAL)
public final class CliLogging extends ContextAwareBase implements Configurator {
    private final BooleanSupplier fileConfigures;

    /** As Logback's service loader makes it. */
    public CliLogging() {
        this(CliLogging::aFileConfigures);
    }

    CliLogging(BooleanSupplier fileConfigures) {
        this.fileConfigures = fileConfigures;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (fileConfigures.getAsBoolean()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("mlflow-secrets-auth: %level{}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("io.github.mlflowsecretsauth").setLevel(Level.WARN);
        // The AWS SDK's signer logs the canonical request, session token included, at DEBUG: never below INFO.
        context.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer").setLevel(Level.INFO);
        // The Azure SDK and MSAL log each failure at ERROR as well; the provider's one-line message says it all.
        context.getLogger("com.azure").setLevel(Level.OFF);
        context.getLogger("com.microsoft.aad.msal4j").setLevel(Level.OFF);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.ERROR);
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether a Logback configuration file is given or on the class path, as Logback itself looks for one. */
    static boolean aFileConfigures() {
        if (System.getProperty("logback.configurationFile") != null) {
            return true;
        }
        ClassLoader loader = CliLogging.class.getClassLoader();
        return loader.getResource("logback-test.xml") != null || loader.getResource("logback.xml") != null;
    }
}
