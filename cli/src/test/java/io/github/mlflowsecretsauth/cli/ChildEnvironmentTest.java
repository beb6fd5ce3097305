package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The child's environment: what exec removes, what stays, --keep-env. */
class ChildEnvironmentTest {
    private static final URI PROXY = URI.create("http://127.0.0.1:40001");

    private static Map<String, String> callers() {
        Map<String, String> env = new HashMap<>();
        for (ChildEnvironment.Removed r : ChildEnvironment.REMOVED) {
            env.put(r.name(), "value-of-" + r.name());
        }
        env.putAll(Map.of("PATH", "/usr/bin", "AWS_ACCESS_KEY_ID", "AKIDGLOBAL", "AWS_SECRET_ACCESS_KEY", "global-secret",
                "AZURE_CLIENT_SECRET", "az", "VAULT_ADDR", "http://vault:8200", "MLFLOW_TRACKING_URI", "https://mlflow.example",
                "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth"));
        return env;
    }

    @Test
    void everyListedVariable_isRemoved_whenItsProviderIsEnabled_andTheTokenReplacesMlflowsOwn() {
        Map<String, String> child = ChildEnvironment.of(callers(), Set.of("vault", "file", "oauth2"), List.of(), PROXY, Optional.of("tok"));
        for (ChildEnvironment.Removed r : ChildEnvironment.REMOVED) {
            if (!r.name().equals("MLFLOW_TRACKING_TOKEN")) {
                assertThat(child).as(r.name()).doesNotContainKey(r.name());
            }
        }
        assertThat(child).containsEntry("MLFLOW_TRACKING_TOKEN", "tok").containsEntry("MLFLOW_TRACKING_URI", PROXY.toString())
                .doesNotContainValue("value-of-MLFLOW_TRACKING_TOKEN");
    }

    @Test
    void vaultLoginCredentials_jwtPasswordAndWrappedSecretId_areRemoved_withVault() {
        Map<String, String> env = Map.of("VAULT_JWT", "eyJ.jwt", "VAULT_PASSWORD", "pw", "VAULT_WRAPPED_SECRET_ID", "hvs.wrap",
                "VAULT_USERNAME", "alice", "VAULT_AUTH_ROLE", "ci");
        assertThat(ChildEnvironment.of(env, Set.of("vault"), List.of(), PROXY, Optional.empty()))
                .doesNotContainKeys("VAULT_JWT", "VAULT_PASSWORD", "VAULT_WRAPPED_SECRET_ID")
                .containsEntry("VAULT_USERNAME", "alice").containsEntry("VAULT_AUTH_ROLE", "ci");
    }

    @Test
    void globalCredentials_andNonSecretSettings_stay() {
        Map<String, String> child = ChildEnvironment.of(callers(), Set.of("vault"), List.of(), PROXY, Optional.of("tok"));
        assertThat(child).containsEntry("AWS_ACCESS_KEY_ID", "AKIDGLOBAL").containsEntry("AWS_SECRET_ACCESS_KEY", "global-secret")
                .containsEntry("AZURE_CLIENT_SECRET", "az").containsEntry("PATH", "/usr/bin")
                .containsEntry("VAULT_ADDR", "http://vault:8200").containsEntry("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
    }

    @Test
    void aProvidersOwnVariables_stay_whenItIsNotEnabled_butTheToolsOwnCredentialsGoAlways() {
        Map<String, String> child = ChildEnvironment.of(callers(), Set.of("env"), List.of(), PROXY, Optional.of("tok"));
        assertThat(child).containsKeys("VAULT_TOKEN", "VAULT_ROLE_ID", "VAULT_SECRET_ID", "MLFLOW_FILE_SECRET_PATH")
                .doesNotContainKeys("MLFLOW_AWS_ACCESS_KEY_ID", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_SECRETS_PROXY_CLIENT_TOKEN",
                        "MLFLOW_TRACKING_CLIENT_KEY_PATH", "MLFLOW_TRACKING_AWS_SIGV4", "MLFLOW_TRACKING_AUTH");
    }

    @Test
    void keepEnv_keepsOne_andAnUnknownNameIsANoOp() {
        Map<String, String> child = ChildEnvironment.of(callers(), Set.of("vault"), List.of("VAULT_TOKEN", "NOT_SET_ANYWHERE"),
                PROXY, Optional.of("tok"));
        assertThat(child).containsEntry("VAULT_TOKEN", "value-of-VAULT_TOKEN").doesNotContainKeys("VAULT_SECRET_ID",
                "NOT_SET_ANYWHERE");
    }

    @Test
    void withoutAProxy_noTokenIsSet() {
        Map<String, String> child = ChildEnvironment.of(callers(), Set.of(), List.of(), PROXY, Optional.empty());
        assertThat(child).doesNotContainKey("MLFLOW_TRACKING_TOKEN").containsEntry("MLFLOW_TRACKING_URI", PROXY.toString());
    }

    @Test
    void keepEnv_refusesAnInvalidName_inOneLine() {
        assertThatThrownBy(() -> ChildEnvironment.validateKeep(List.of("1BAD-NAME")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("--keep-env").hasMessageContaining("1BAD-NAME")
                .hasMessageNotContaining("\n");
    }

    @Test
    void keepEnv_withNameEqualsValue_neverShowsTheValue() {
        assertThatThrownBy(() -> ChildEnvironment.validateKeep(List.of("VAULT_TOKEN=hvs.SECRETvalue")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("--keep-env VAULT_TOKEN")
                .hasMessageNotContaining("SECRETvalue");
    }

    @Test
    void keepEnv_refusesWhatExecSetsItself() {
        assertThatThrownBy(() -> ChildEnvironment.validateKeep(List.of("MLFLOW_TRACKING_TOKEN")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_TRACKING_TOKEN")
                .hasMessageContaining("per-run token");
    }

    @Test
    void theList_namesEachVariableOnce_andEachConditionIsAlwaysOrAProvider() {
        List<String> names = ChildEnvironment.REMOVED.stream().map(ChildEnvironment.Removed::name).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("[A-Z_][A-Z0-9_]*"))
                .noneMatch(n -> n.startsWith("AWS_") || n.startsWith("AZURE_") || n.startsWith("GOOGLE_"));
        assertThat(ChildEnvironment.REMOVED).extracting(ChildEnvironment.Removed::when)
                .allMatch(w -> Set.of("always", "vault", "file", "oauth2").contains(w));
    }

    @Test
    void theExecTableInDocsProxy_isGeneratedFromTheList() throws Exception {
        String table = ChildEnvironment.markdownTable();
        assertThat(table.lines()).hasSize(ChildEnvironment.REMOVED.size() + 2)
                .contains("| `VAULT_TOKEN` | when `vault` is enabled |", "| `MLFLOW_TRACKING_PASSWORD` | always |",
                        "| `MLFLOW_TRACKING_TOKEN` | always (set to the proxy's per-run token instead) |");
        java.nio.file.Path doc = java.nio.file.Path.of("..", "docs", "PROXY.md");
        String text = java.nio.file.Files.readString(doc);
        assertThat(text).as("docs/PROXY.md's exec table, generated by ChildEnvironment.markdownTable()").contains(table);
    }
}
