package io.github.mlflowsecretsauth.mlflow.artifacts;

import io.github.mlflowsecretsauth.MlflowSecretsAuth;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;

import java.util.List;

/** The {@code mlflow} module's settings: validation at start-up and the artifact client's ({@link ArtifactSettings}). */
public final class MlflowSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        ArtifactSettings d = ArtifactSettings.defaults();
        return List.of(
                Setting.of("mlflow", SettingsSection.SHARED, MlflowSecretsAuth.VALIDATE, "`false`", "`mlflowClient()` makes "
                        + "one read-only call at once and fails fast with a clear message"),
                s(ArtifactSettings.MULTIPART_ENABLED, "`" + d.multipartEnabled() + "` (MLflow: `false`)", "try multipart for "
                        + "large files; `false` always sends one PUT"),
                s(ArtifactSettings.MULTIPART_MINIMUM_SIZE, mib(d.multipartMinimumSize()), "bytes from which a file goes multipart"),
                s(ArtifactSettings.CHUNK_SIZE, mib(d.chunkSize()), "bytes per part, at least "
                        + ArtifactSettings.MINIMUM_CHUNK / ArtifactSettings.MIB + " MiB (the S3 minimum)"),
                s(ArtifactSettings.PARALLELISM, "`" + d.parallelism() + "`", "parts in flight per file (1 to 64)"),
                s(ArtifactSettings.ARTIFACT_ROOT, "", "where the run's artifacts live, read directly (docs/ARTIFACTS.md)"));
    }

    private static String mib(long bytes) {
        return "`" + bytes + "` (" + bytes / ArtifactSettings.MIB + " MiB)";
    }

    private static Setting s(String name, String defaultValue, String meaning) {
        return Setting.of("mlflow", SettingsSection.MLFLOW_ARTIFACTS, name, defaultValue, meaning);
    }
}
