package io.github.mlflowsecretsauth.provider.kubernetes;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsCatalog;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.internal.ProviderSettings;

import java.util.ArrayList;
import java.util.List;

/** The {@code kubernetes} provider's settings ({@link KubernetesProviderFactory}). */
public final class KubernetesSettingsCatalog implements SettingsCatalog {
    @Override
    public List<Setting> settings() {
        List<Setting> out = new ArrayList<>(List.of(
                s(KubernetesProviderFactory.TOKEN_PATH, "`" + KubernetesProviderFactory.DEFAULT_TOKEN_PATH + "`", "the token "
                        + "file; a projected `serviceAccountToken` volume's `token` works as well as the default mount"),
                s(KubernetesProviderFactory.WORKSPACE, "the pod's namespace", "the MLflow workspace sent as "
                        + "`X-MLFLOW-WORKSPACE`; when unset, the pod's namespace: the `namespace` file beside the token, else the "
                        + "default mount's `" + java.nio.file.Path.of(KubernetesProviderFactory.DEFAULT_TOKEN_PATH).resolveSibling("namespace")
                        + "` (where MLflow's provider reads it), when there is one"),
                s(KubernetesProviderFactory.POLL, "`" + KubernetesProviderFactory.DEFAULT_POLL_SEC + "` (1.." + KubernetesProviderFactory.MAX_POLL_SEC + ")", "how often the token file is checked for the kubelet's rotation")));
        out.addAll(ProviderSettings.modeAndTtl("core", SettingsSection.KUBERNETES, new KubernetesProviderFactory(), "`bearer`",
                "the lifetime given to a token that has no `exp` claim, a legacy secret-based token (1.."
                        + KubernetesProviderFactory.MAX_TTL_WITHOUT_EXP_SEC + ")"));
        return out;
    }

    private static Setting s(String name, String defaultValue, String meaning) {
        return Setting.of("core", SettingsSection.KUBERNETES, name, defaultValue, meaning);
    }
}
