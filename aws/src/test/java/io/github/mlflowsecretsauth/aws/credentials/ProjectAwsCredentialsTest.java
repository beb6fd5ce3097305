package io.github.mlflowsecretsauth.aws.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.regions.Region;

/** Precedence, region and reporting of the project-scoped AWS credentials (seed 000); no server involved. */
class ProjectAwsCredentialsTest {
    private static final String PROJECT_SECRET = "CANARYprojSecret/abc+123";
    private static final String GLOBAL_SECRET = "CANARYglobSecret/xyz+789";

    private static Settings settings(Map<String, String> values) {
        return Settings.builder().setAll(values).build();
    }

    @Test
    void projectKeys_winOverGlobalKeys() {
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(settings(Map.of(
                "MLFLOW_AWS_ACCESS_KEY_ID", "AKIAPROJECT0000WXYZ", "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET,
                "AWS_ACCESS_KEY_ID", "AKIAGLOBAL00000ABCD", "AWS_SECRET_ACCESS_KEY", GLOBAL_SECRET, "AWS_SESSION_TOKEN", "global-token")))) {
            assertThat(c.source()).isEqualTo(CredentialSource.PROJECT);
            assertThat(c.sourceLabel()).isEqualTo("project-specific (MLFLOW_AWS_*)");
            AwsCredentials resolved = c.provider().resolveCredentials();
            assertThat(resolved.accessKeyId()).isEqualTo("AKIAPROJECT0000WXYZ");
            assertThat(resolved.secretAccessKey()).isEqualTo(PROJECT_SECRET);
            assertThat(resolved).as("the global session token never joins the project key").isNotInstanceOf(AwsSessionCredentials.class);
        }
    }

    @Test
    void globalKeys_areUsedWhenNoProjectKeysAreSet_withTheirSessionToken() {
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(settings(Map.of(
                "AWS_ACCESS_KEY_ID", "ASIAGLOBAL00000ABCD", "AWS_SECRET_ACCESS_KEY", GLOBAL_SECRET, "AWS_SESSION_TOKEN", "tok")))) {
            assertThat(c.sourceLabel()).isEqualTo("global (AWS_*)");
            assertThat(c.provider().resolveCredentials()).isInstanceOfSatisfying(AwsSessionCredentials.class,
                    s -> assertThat(s.sessionToken()).isEqualTo("tok"));
            assertThat(c.hasSessionToken()).isTrue();
            assertThat(c.keyVariables()).contains("AWS_SESSION_TOKEN");
        }
    }

    @Test
    void projectSessionToken_makesSessionCredentials() {
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(settings(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "ASIAPROJECT",
                "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET, "MLFLOW_AWS_SESSION_TOKEN", "ptok")))) {
            assertThat(((AwsSessionCredentials) c.provider().resolveCredentials()).sessionToken()).isEqualTo("ptok");
        }
    }

    @Test
    void dotEnvProjectKeys_winOverGlobalKeysInTheEnvironment_andTheRealEnvironmentWinsOverDotEnv() {
        Settings s = Settings.builder()
                .environment(Map.of("AWS_ACCESS_KEY_ID", "AKIAGLOBAL", "AWS_SECRET_ACCESS_KEY", GLOBAL_SECRET))
                .dotEnv(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAFROMDOTENV", "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET,
                        "MLFLOW_AWS_DEFAULT_REGION", "eu-central-1"))
                .build();
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(s)) {
            assertThat(c.sourceLabel()).isEqualTo("project-specific (MLFLOW_AWS_*)");
            assertThat(c.provider().resolveCredentials().accessKeyId()).isEqualTo("AKIAFROMDOTENV");
            assertThat(c.region()).hasValueSatisfying(r -> assertThat(r.region()).isEqualTo(Region.EU_CENTRAL_1));
        }
        Settings overridden = Settings.builder()
                .environment(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAFROMENV", "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET))
                .dotEnv(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAFROMDOTENV", "MLFLOW_AWS_SECRET_ACCESS_KEY", "other")).build();
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(overridden)) {
            assertThat(c.provider().resolveCredentials().accessKeyId()).isEqualTo("AKIAFROMENV");
        }
    }

    @Test
    void globalKeysFromDotEnv_countAsGlobal() {
        Settings s = Settings.builder().dotEnv(Map.of("AWS_ACCESS_KEY_ID", "AKIADOTENVGLOBAL", "AWS_SECRET_ACCESS_KEY", GLOBAL_SECRET)).build();
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(s)) {
            assertThat(c.sourceLabel()).isEqualTo("global (AWS_*)");
        }
    }

    @Test
    void halfAKeyPair_isAConfigurationErrorNamingTheMissingVariable() {
        assertThatThrownBy(() -> ProjectAwsCredentials.resolve(settings(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIA1"))))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("MLFLOW_AWS_SECRET_ACCESS_KEY is not set");
        assertThatThrownBy(() -> ProjectAwsCredentials.resolve(settings(Map.of("MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET))))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("MLFLOW_AWS_ACCESS_KEY_ID is not set")
                .hasMessageNotContaining(PROJECT_SECRET);
        assertThatThrownBy(() -> ProjectAwsCredentials.resolve(settings(Map.of("MLFLOW_AWS_SESSION_TOKEN", "t"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MLFLOW_AWS_SESSION_TOKEN");
        assertThatThrownBy(() -> ProjectAwsCredentials.resolve(settings(Map.of("AWS_ACCESS_KEY_ID", "AKIA1"))))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("AWS_SECRET_ACCESS_KEY is not set");
    }

    @Test
    void region_projectFirst_thenAwsRegion_thenAwsDefaultRegion() {
        assertThat(region(Map.of("MLFLOW_AWS_DEFAULT_REGION", "us-east-1", "AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "ap-south-1")))
                .isEqualTo("us-east-1 (MLFLOW_AWS_DEFAULT_REGION)");
        assertThat(region(Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "ap-south-1"))).isEqualTo("eu-west-1 (AWS_REGION)");
        assertThat(region(Map.of("AWS_DEFAULT_REGION", "ap-south-1"))).isEqualTo("ap-south-1 (AWS_DEFAULT_REGION)");
        assertThatThrownBy(() -> region(Map.of("AWS_REGION", "US East (N. Virginia)")))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("AWS_REGION is not an AWS region");
    }

    @Test
    void region_fallsBackToTheProfileNamedThroughSettings(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "[default]\nregion = eu-north-1\n[profile ml]\nregion = sa-east-1\n");
        Path creds = dir.resolve("credentials");
        Files.writeString(creds, "");
        assertThat(region(Map.of("AWS_CONFIG_FILE", config.toString(), "AWS_SHARED_CREDENTIALS_FILE", creds.toString())))
                .isEqualTo("eu-north-1 (AWS profile 'default')");
        assertThat(region(Map.of("AWS_CONFIG_FILE", config.toString(), "AWS_SHARED_CREDENTIALS_FILE", creds.toString(), "AWS_PROFILE", "ml")))
                .isEqualTo("sa-east-1 (AWS profile 'ml')");
    }

    @Test
    void unreadableProfileFile_isAConfigurationError(@TempDir Path dir) {
        assertThatThrownBy(() -> region(Map.of("AWS_CONFIG_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("AWS_CONFIG_FILE: cannot read");
    }

    @Test
    void defaultChain_isReportedAsNotResolvedUntilUsed(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "");
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(settings(Map.of("AWS_CONFIG_FILE", empty.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", empty.toString())))) {
            assertThat(c.source()).isEqualTo(CredentialSource.DEFAULT_CHAIN);
            assertThat(c.sourceLabel()).isEqualTo("default chain (not resolved yet)");
            assertThat(c.maskedAccessKeyId()).isEmpty();
            assertThat(c.region()).isEmpty();
        }
    }

    @Test
    void toStringAndDescribe_maskTheKeyId_andNeverShowTheSecret() {
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(settings(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAPROJECT0000WXYZ",
                "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET, "MLFLOW_AWS_SESSION_TOKEN", "CANARYtoken", "AWS_REGION", "us-west-2")))) {
            assertThat(c.maskedAccessKeyId()).contains("*".repeat(15) + "WXYZ");
            assertThat(c.toString()).contains("project-specific (MLFLOW_AWS_*)").contains("WXYZ").doesNotContain("AKIAPROJECT")
                    .doesNotContain(PROJECT_SECRET).doesNotContain("CANARYtoken");
            assertThat(c.describe()).containsEntry("credentials", "project-specific (MLFLOW_AWS_*)")
                    .containsEntry("region", "us-west-2 (AWS_REGION)");
            assertThat(c.describe().toString()).doesNotContain(PROJECT_SECRET).doesNotContain("CANARYtoken");
            assertThat(c.provider().toString()).doesNotContain(PROJECT_SECRET).doesNotContain("AKIAPROJECT");
        }
    }

    @Test
    void resolving_neverWritesSystemProperties() {
        Map<Object, Object> before = Map.copyOf(System.getProperties());
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(settings(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIA1",
                "MLFLOW_AWS_SECRET_ACCESS_KEY", PROJECT_SECRET, "MLFLOW_AWS_DEFAULT_REGION", "us-east-1")))) {
            c.provider().resolveCredentials();
        }
        assertThat(Map.copyOf(System.getProperties())).isEqualTo(before);
    }

    private static String region(Map<String, String> values) {
        return ProjectRegion.resolve(settings(values), ProfileLocations.from(settings(values))).map(ProjectRegion::toString).orElse("none");
    }
}
