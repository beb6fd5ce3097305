package io.github.mlflowsecretsauth.provider.file;

import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.spi.ProviderContext;
import io.github.mlflowsecretsauth.spi.SecretProvider;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code file} provider: {@code MLFLOW_FILE_SECRET_PATH} names a file holding the secret (same
 * formats as every provider); {@code MLFLOW_FILE_POLL_SEC} (default 2) sets how often it is checked
 * for changes.
 */
public final class FileProviderFactory implements SecretProviderFactory {
    public static final String PATH = "MLFLOW_FILE_SECRET_PATH";
    public static final String POLL = "MLFLOW_FILE_POLL_SEC";
    static final int DEFAULT_POLL_SEC = 2;

    @Override
    public String name() {
        return "file";
    }

    @Override
    public int priority() {
        return 50;
    }

    @Override
    public String settingsPrefix() {
        return "FILE";
    }

    @Override
    public List<String> missingSettings(Settings settings) {
        return settings.isSet(PATH) ? List.of() : List.of(PATH);
    }

    @Override
    public SecretProvider create(ProviderContext context) {
        Settings s = context.settings();
        Path path = Path.of(s.get(PATH).orElseThrow()).toAbsolutePath();
        return new FileSecretProvider(path, ConfigValues.positiveSeconds(s, POLL, DEFAULT_POLL_SEC), context.scheduler(), context.secretChanged());
    }
}
