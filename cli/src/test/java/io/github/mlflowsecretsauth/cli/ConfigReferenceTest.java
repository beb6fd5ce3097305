package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsRegistry;
import io.github.mlflowsecretsauth.config.SettingsSection;
import io.github.mlflowsecretsauth.provider.vault.VaultConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** docs/CONFIGURATION.md's tables are the registry's, so the reference cannot drift from the code. */
class ConfigReferenceTest {
    private static final Path DOC = Path.of("..", "docs", "CONFIGURATION.md");

    @Test
    void theDocumentsTablesAreTheRegistrys() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        String fresh = ConfigReference.render(doc, SettingsRegistry.all());
        if (!fresh.equals(doc)) {
            fail("docs/CONFIGURATION.md is out of date: run `make config-docs` (" + firstDifference(doc, fresh) + ")");
        }
    }

    @Test
    void theIdentityPagesTablesAreTheRegistrys() throws Exception {
        List<Setting> all = SettingsRegistry.all();
        for (String page : List.of("oauth2.md", "kubernetes.md", "entra.md", "gcp-id-token.md")) {
            Path file = DOC.resolveSibling("identity").resolve(page);
            String doc = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(doc).as(page).contains("<!-- settings:");
            String fresh = ConfigReference.renderMarked(doc, all);
            if (!fresh.equals(doc)) {
                fail("docs/identity/" + page + " is out of date: run `make config-docs` (" + firstDifference(doc, fresh) + ")");
            }
        }
    }

    @Test
    void everySectionHasATableWithItsSettingsAndOnlyThose() throws Exception {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        List<Setting> all = SettingsRegistry.all();
        for (SettingsSection section : SettingsSection.values()) {
            assertThat(doc).as(section.id()).containsOnlyOnce("<!-- settings:" + section.id() + " -->");
            assertThat(all).as("settings of section " + section.id()).anyMatch(s -> s.section() == section);
        }
        assertThat(doc).contains("| `" + VaultConfig.ADDR + "` |  | Vault's URL | core |");
    }

    @Test
    void renderKeepsTheProseAndReplacesOnlyBetweenTheMarkers() {
        List<Setting> one = List.of(Setting.of("core", SettingsSection.SHARED, "MLFLOW_TRACKING_URI", "", "the MLflow server"));
        String doc = "intro\n<!-- settings:shared -->\n| stale |\n<!-- /settings:shared -->\noutro\n";
        assertThat(ConfigReference.render(doc, one)).isEqualTo("intro\n<!-- settings:shared -->\n"
                + "| variable | default | meaning | module |\n|---|---|---|---|\n"
                + "| `MLFLOW_TRACKING_URI` |  | the MLflow server | core |\n<!-- /settings:shared -->\noutro\n");
    }

    @Test
    void missingUnknownOrUnclosedMarkersAreErrorsThatSayWhatToAdd() {
        List<Setting> one = List.of(Setting.of("core", SettingsSection.VAULT, "VAULT_ADDR", "", "Vault's URL"));
        assertThatThrownBy(() -> ConfigReference.render("no markers\n", one))
                .hasMessageContaining("no markers for section vault").hasMessageContaining("<!-- settings:vault -->");
        assertThatThrownBy(() -> ConfigReference.render("<!-- settings:nope -->\n<!-- /settings:nope -->", one))
                .hasMessageContaining("unknown settings section in a marker: nope");
        assertThatThrownBy(() -> ConfigReference.render("<!-- settings:vault -->\n", one))
                .hasMessageContaining("no closing marker <!-- /settings:vault -->");
    }

    private static String firstDifference(String doc, String fresh) {
        List<String> a = doc.lines().toList();
        List<String> b = fresh.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "(end)";
            String y = i < b.size() ? b.get(i) : "(end)";
            if (!x.equals(y)) {
                return "line " + (i + 1) + ": the file has `" + abbreviate(x) + "`, the registry gives `" + abbreviate(y) + "`";
            }
        }
        return "they differ in line endings";
    }

    private static String abbreviate(String line) {
        return line.length() > 100 ? line.substring(0, 100) + "…" : line;
    }
}
