package io.github.mlflowsecretsauth.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsTest {
    private static final String CANARY = "CANARY-s3cr3t-7f2a9c";
    private static final String K = "MLFLOW_VAULT_SECRET_PATH";

    private static Properties props(String k, String v) {
        Properties p = new Properties();
        p.setProperty(k, v);
        return p;
    }

    @Test
    void get_unsetName_isEmpty() {
        Settings s = Settings.builder().build();
        assertThat(s.get(K)).isEmpty();
        assertThat(s.isSet(K)).isFalse();
        assertThat(s.sourceOf(K)).isEmpty();
    }

    @Test
    void get_returnsValueTrimmed() {
        Settings s = Settings.builder().environment(Map.of(K, "  secret/mlflow/auth \n")).build();
        assertThat(s.get(K)).contains("secret/mlflow/auth");
        assertThat(s.isSet(K)).isTrue();
    }

    @Test
    void get_blankValueCountsAsUnset() {
        Settings s = Settings.builder().environment(Map.of(K, "   ")).build();
        assertThat(s.get(K)).isEmpty();
        assertThat(s.isSet(K)).isFalse();
        assertThat(s.sourceOf(K)).isEmpty();
    }

    @Test
    void realEnvironmentWinsOverDotEnv() {
        Settings s = Settings.builder().dotEnv(Map.of(K, "from-dotenv")).environment(Map.of(K, "from-env")).build();
        assertThat(s.get(K)).contains("from-env");
        assertThat(s.sourceOf(K)).contains(Settings.Source.ENVIRONMENT);
    }

    @Test
    void dotEnvSuppliesNamesMissingFromTheEnvironment() {
        Settings s = Settings.builder().dotEnv(Map.of(K, "from-dotenv")).environment(Map.of("OTHER", "x")).build();
        assertThat(s.get(K)).contains("from-dotenv");
        assertThat(s.sourceOf(K)).contains(Settings.Source.DOTENV);
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        Settings s = Settings.builder().environment(Map.of(K, "env")).systemProperties(props(K, "prop")).build();
        assertThat(s.get(K)).contains("prop");
        assertThat(s.sourceOf(K)).contains(Settings.Source.SYSTEM_PROPERTY);
    }

    @Test
    void builderOverrideWinsOverEveryOtherLayer() {
        Settings s = Settings.builder().set(K, "builder").systemProperties(props(K, "prop"))
                .environment(Map.of(K, "env")).dotEnv(Map.of(K, "dotenv")).build();
        assertThat(s.get(K)).contains("builder");
        assertThat(s.sourceOf(K)).contains(Settings.Source.BUILDER);
    }

    @Test
    void blankValueInHigherLayer_fallsThroughToLowerLayer() {
        Settings s = Settings.builder().environment(Map.of(K, "")).dotEnv(Map.of(K, "dotenv")).build();
        assertThat(s.get(K)).contains("dotenv");
        assertThat(s.sourceOf(K)).contains(Settings.Source.DOTENV);
    }

    @Test
    void sourceLabels_readAsInReports() {
        assertThat(Settings.Source.BUILDER).hasToString("builder");
        assertThat(Settings.Source.SYSTEM_PROPERTY).hasToString("system property");
        assertThat(Settings.Source.ENVIRONMENT).hasToString("environment");
        assertThat(Settings.Source.DOTENV).hasToString(".env file");
    }

    @Test
    void builderSetNull_removesEarlierOverride() {
        Settings s = Settings.builder().set(K, "x").set(K, null).environment(Map.of(K, "env")).build();
        assertThat(s.get(K)).contains("env");
    }

    @Test
    void builderSetAll_addsOverrides() {
        Settings s = Settings.builder().setAll(Map.of("A", "1", "B", "2")).build();
        assertThat(s.get("A")).contains("1");
        assertThat(s.get("B")).contains("2");
        assertThat(s.sourceOf("B")).contains(Settings.Source.BUILDER);
    }

    @Test
    void with_returnsCopyWithOverride_andLeavesOriginalUnchanged() {
        Settings original = Settings.builder().environment(Map.of(K, "env")).build();
        Settings copy = original.with(K, "override");
        assertThat(copy.get(K)).contains("override");
        assertThat(copy.sourceOf(K)).contains(Settings.Source.BUILDER);
        assertThat(original.get(K)).contains("env");
    }

    @Test
    void settingsAreNotAffectedByLaterChangesToInputMaps() {
        Map<String, String> env = new HashMap<>(Map.of(K, "before"));
        Settings.Builder b = Settings.builder().environment(env);
        Settings s = b.build();
        env.put(K, "after");
        b.set(K, "later");
        assertThat(s.get(K)).contains("before");
    }

    @Test
    void namesStartingWith_listsSetNamesFromAllLayersSortedWithoutBlanks() {
        Settings s = Settings.builder()
                .set("MLFLOW_VAULT_TTL_SEC", "30")
                .environment(Map.of("MLFLOW_AWS_SECRET_ID", "id", "MLFLOW_AZURE_SECRET_NAME", "  ", "OTHER", "x"))
                .dotEnv(Map.of("VAULT_ADDR", "http://v", "MLFLOW_AWS_SECRET_ID", "dup"))
                .build();
        assertThat(s.namesStartingWith("MLFLOW_", "VAULT_"))
                .containsExactly("MLFLOW_AWS_SECRET_ID", "MLFLOW_VAULT_TTL_SEC", "VAULT_ADDR");
    }

    @Test
    void toString_neverShowsValues() {
        Settings s = Settings.builder().set("VAULT_TOKEN", CANARY).systemProperties(props("P", CANARY))
                .environment(Map.of("E", CANARY)).dotEnv(Map.of("MLFLOW_TRACKING_PASSWORD", CANARY)).build();
        assertThat(s.toString()).doesNotContain(CANARY).contains("VAULT_TOKEN").contains("MLFLOW_TRACKING_PASSWORD");
    }

    @Test
    void dotEnvFile_isReadAsLowestLayer(@TempDir Path dir) throws IOException {
        Path f = dir.resolve(".env");
        Files.writeString(f, "A=from-file\nB=from-file\n");
        Settings s = Settings.builder().dotEnvFile(f).environment(Map.of("B", "from-env")).build();
        assertThat(s.get("A")).contains("from-file");
        assertThat(s.get("B")).contains("from-env");
    }

    @Test
    void dotEnvFile_missingFileIsFine(@TempDir Path dir) {
        Settings s = Settings.builder().dotEnvFile(dir.resolve(".env")).build();
        assertThat(s.get("A")).isEmpty();
    }

    @Test
    void fromEnvironment_seesSystemProperties() {
        String name = "MLFLOW_SECRETS_TEST_PROPERTY_" + System.nanoTime();
        System.setProperty(name, "value");
        try {
            Settings s = Settings.fromEnvironment();
            assertThat(s.get(name)).contains("value");
            assertThat(s.sourceOf(name)).contains(Settings.Source.SYSTEM_PROPERTY);
        } finally {
            System.clearProperty(name);
        }
    }
}
