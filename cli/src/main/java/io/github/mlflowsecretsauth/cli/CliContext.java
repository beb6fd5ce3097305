package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * What a command runs against: the environment, the working directory (whose {@code .env} is read),
 * and the output streams. Passed in so tests run commands in-process with their own environment.
 */
public record CliContext(Map<String, String> environment, Properties systemProperties, Path workDir, PrintWriter out,
                         PrintWriter err) {

    public static CliContext ofProcess(PrintWriter out, PrintWriter err) {
        return new CliContext(System.getenv(), System.getProperties(), Path.of("").toAbsolutePath(), out, err);
    }

    /** The settings of this run; a malformed {@code .env} throws a configuration error. */
    public Settings settings() {
        return Settings.builder().environment(environment).systemProperties(systemProperties)
                .dotEnvFile(workDir.resolve(".env")).build();
    }

    /** An engine over {@link #settings()}; throws a configuration error if the settings are invalid. */
    public SecretsAuth engine() {
        return SecretsAuth.builder().settings(settings()).build();
    }
}
