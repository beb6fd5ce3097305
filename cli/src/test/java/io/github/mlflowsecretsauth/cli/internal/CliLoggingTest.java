package io.github.mlflowsecretsauth.cli.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class CliLoggingTest {

    @Test
    void theConfigurator_isFoundByLogback_asAServiceOfThisJar() {
        assertThat(ServiceLoader.load(Configurator.class).stream().map(p -> p.type().getName()))
                .contains(CliLogging.class.getName());
    }

    @Test
    void logsGoToStderr_asOneLinePerMessage_withTheProjectAtWarnAndOthersAtError() {
        LoggerContext context = new LoggerContext();
        assertThat(new CliLogging(() -> false).configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("io.github.mlflowsecretsauth.proxy").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("software.amazon.awssdk.http.auth.aws.internal.signer.X").getEffectiveLevel())
                .as("the SDK signer logs the canonical request at DEBUG").isEqualTo(Level.INFO);
        assertThat(context.getLogger("com.azure.identity").getEffectiveLevel()).isEqualTo(Level.OFF);
        assertThat(context.getLogger("com.microsoft.aad.msal4j").getEffectiveLevel()).isEqualTo(Level.OFF);

        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        Logger logger = context.getLogger("io.github.mlflowsecretsauth.cli");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "the {} is not set", null,
                new Object[] {"MLFLOW_X"});
        byte[] line = ((PatternLayoutEncoder) stderr.getEncoder()).encode(event);
        assertThat(new String(line, StandardCharsets.UTF_8))
                .isEqualTo("mlflow-secrets-auth: WARN: the MLFLOW_X is not set" + System.lineSeparator());
    }

    @Test
    void aLogbackFileOnTheClassPath_wins_andThisConfiguratorConfiguresNothing() {
        assertThat(CliLogging.aFileConfigures()).as("this module's test resources hold a logback-test.xml").isTrue();
        LoggerContext context = new LoggerContext();
        assertThat(new CliLogging().configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
        assertThat(context.getLogger("io.github.mlflowsecretsauth").getLevel()).isNull();
    }
}
