package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.azure.AzureConfigKeys;
import io.github.mlflowsecretsauth.config.ConfigKeys;
import io.github.mlflowsecretsauth.config.Setting;
import io.github.mlflowsecretsauth.config.SettingsRegistry;
import io.github.mlflowsecretsauth.provider.env.EnvProviderFactory;
import io.github.mlflowsecretsauth.provider.vault.VaultConfig;
import io.github.mlflowsecretsauth.spi.SecretProviderFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry of settings is complete: every variable name in the main sources of the shipped modules (and in the
 * launcher script) is a setting, every provider's mode and TTL are, and each name is listed once per section.
 */
class SettingsRegistryTest {
    /** The modules whose main sources are scanned: everything a user's class path can hold. */
    private static final List<String> MODULES = List.of("core", "tracking-memory", "proxy", "mlflow", "aws", "azure", "gcp", "cli");
    /** A variable name of the project's or a backend's shape; a placeholder ({@code <P>}) or a prefix is not one. */
    private static final Pattern NAME = Pattern.compile(
            "(?<![A-Za-z0-9_<])(?:MLFLOW|VAULT|AWS|AZURE|GOOGLE|GCE|CLOUDSDK|IDENTITY|MSI|IMDS)_[A-Z0-9_]*[A-Z0-9](?![A-Za-z0-9_>])");
    /** Names in the sources that are not settings the project reads. */
    private static final Set<String> NOT_SETTINGS = Set.of();

    @Test
    void everyVariableNameInTheMainSourcesIsASetting() throws IOException {
        List<Setting> all = SettingsRegistry.all();
        Set<String> names = namesInSources();
        assertThat(names).as("names found by the scan").hasSizeGreaterThan(100);
        Set<String> unknown = new TreeSet<>();
        for (String n : names) {
            if (!NOT_SETTINGS.contains(n) && SettingsRegistry.find(all, n).isEmpty()) {
                unknown.add(n);
            }
        }
        assertThat(unknown).as("names the code uses that are in no module's SettingsCatalog (add them there, with a "
                + "default and a meaning, then run `make config-docs`)").isEmpty();
    }

    @Test
    void everyProviderHasItsModeAndTtl() {
        List<Setting> all = SettingsRegistry.all();
        List<SecretProviderFactory> factories = new ArrayList<>();
        ServiceLoader.load(SecretProviderFactory.class).forEach(factories::add);
        assertThat(factories).hasSizeGreaterThanOrEqualTo(10);
        for (SecretProviderFactory f : factories) {
            assertThat(all).as(f.name()).anyMatch(s -> s.name().equals(ConfigKeys.authMode(f.settingsPrefix())));
            assertThat(all).as(f.name()).anyMatch(s -> s.name().equals(ConfigKeys.ttl(f.settingsPrefix())));
        }
    }

    @Test
    void eachNameIsListedOncePerSection() {
        List<Setting> all = SettingsRegistry.all();
        Set<String> seen = new TreeSet<>();
        for (Setting s : all) {
            assertThat(seen.add(s.section() + " " + s.name())).as(s.name() + " twice in " + s.section()).isTrue();
        }
        // A name in two sections is read by two modules (S3's multipart sizes and the mlflow-artifacts client's).
        assertThat(all.stream().filter(s -> s.name().equals("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE")).map(Setting::module))
                .containsExactly("aws", "mlflow");
    }

    /**
     * exec's list of removed variables stays hand-made (it also removes names that are not credentials, some only while
     * their provider is enabled), but it cannot miss a credential: each secret setting is removed from the child, or is
     * one of the global cloud credentials the child keeps for its own work.
     */
    @Test
    void execRemovesEverySecretSettingExceptTheGlobalCloudCredentials() {
        List<Setting> all = SettingsRegistry.all();
        Set<String> removed = new TreeSet<>();
        for (ChildEnvironment.Removed r : ChildEnvironment.REMOVED) {
            assertThat(SettingsRegistry.find(all, r.name())).as(r.name() + " (removed by exec) is a setting").isPresent();
            removed.add(r.name());
        }
        Set<String> keptForTheChild = Set.of(AwsConfigKeys.SECRET_ACCESS_KEY, AwsConfigKeys.SESSION_TOKEN,
                AzureConfigKeys.CLIENT_SECRET, AzureConfigKeys.CLIENT_CERTIFICATE_PASSWORD, AzureConfigKeys.PASSWORD);
        Set<String> secrets = new TreeSet<>();
        all.stream().filter(Setting::secret).forEach(st -> secrets.add(st.name()));
        assertThat(secrets).containsAll(keptForTheChild).contains(VaultConfig.TOKEN, EnvProviderFactory.TOKEN);
        secrets.removeAll(keptForTheChild);
        assertThat(removed).as("exec's REMOVED list (ChildEnvironment) holds every secret setting").containsAll(secrets);
    }

    @Test
    void theScanFindsNamesInsideMessagesAndSkipsPrefixes() {
        assertThat(namesIn("x(\"https://VAULT_A\"); // a \"GOOGLE_IGNORED\" comment\n/* \"AWS_IGNORED */ y('\"');"))
                .containsExactly("VAULT_A");
        assertThat(namesIn("throw new E(\"set VAULT_TOKEN, or \" + \"AWS_REGION\" + \"MLFLOW_AWS_\");"))
                .containsExactly("AWS_REGION", "VAULT_TOKEN");
        assertThat(namesIn("s(\"MLFLOW_<P>_AUTH_MODE\", \"MLFLOW_SECRETS_AUTH_ENABLE_<NAME>\")")).isEmpty();
    }

    /** The names inside the string literals (and text blocks) of Java {@code source}; comments and chars skipped. */
    static Set<String> namesIn(String source) {
        Set<String> out = new TreeSet<>();
        for (String literal : literals(source)) {
            Matcher n = NAME.matcher(literal);
            while (n.find()) {
                out.add(n.group());
            }
        }
        return out;
    }

    private static List<String> literals(String src) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (src.startsWith("//", i)) {
                i = end(src.indexOf('\n', i), src);
            } else if (src.startsWith("/*", i)) {
                i = end(src.indexOf("*/", i + 2), src) + 2;
            } else if (src.startsWith("\"\"\"", i)) {
                int close = end(src.indexOf("\"\"\"", i + 3), src);
                out.add(src.substring(i + 3, close));
                i = close + 3;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < src.length() && src.charAt(j) != c && src.charAt(j) != '\n') {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                if (c == '"') {
                    out.add(src.substring(i + 1, Math.min(j, src.length())));
                }
                i = j + 1;
            } else {
                i++;
            }
        }
        return out;
    }

    private static int end(int index, String src) {
        return index < 0 ? src.length() : index;
    }

    private static Set<String> namesInSources() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String module : MODULES) {
            Path root = Path.of("..", module, "src", "main", "java");
            assertThat(root).as(module).isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    out.addAll(namesIn(Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        }
        Matcher n = Pattern.compile("\\bMLFLOW_[A-Z0-9_]*[A-Z0-9]\\b")
                .matcher(Files.readString(Path.of("..", "bin", "mlflow-secrets-auth"), StandardCharsets.UTF_8));
        while (n.find()) {
            out.add(n.group());
        }
        return out;
    }
}
