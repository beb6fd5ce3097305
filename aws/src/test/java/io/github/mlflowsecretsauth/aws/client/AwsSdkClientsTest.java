package io.github.mlflowsecretsauth.aws.client;

import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.GLOBAL;
import static io.github.mlflowsecretsauth.aws.testing.AwsFixtures.PROJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The project's SDK clients: STS (for doctor) signs with the project credentials; endpoint variables resolve as the SDK's do. */
class AwsSdkClientsTest {
    private AwsServer aws;

    @BeforeEach
    void start() {
        aws = AwsFixtures.server();
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private Settings settings(Map<String, String> extra) {
        return Settings.builder().setAll(AwsFixtures.settingsWithGlobalKeys(aws)).setAll(extra).build();
    }

    @Test
    void stsCallerIdentity_isTheProjectIdentity() {
        Settings s = settings(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_ENDPOINT_URL_STS", aws.endpoint().toString()));
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(s);
             StsClient sts = AwsSdkClients.sts(c, Region.US_EAST_1, EndpointOverride.resolve(s, AwsConfigKeys.ENDPOINT_URL_STS),
                     java.time.Duration.ofSeconds(10))) {
            GetCallerIdentityResponse id = sts.getCallerIdentity();
            assertThat(id.account()).isEqualTo("123456789012");
            assertThat(id.arn()).isEqualTo("arn:aws:iam::123456789012:user/mlflow-project");
        }
        assertThat(aws.signingKeys("GetCallerIdentity")).containsExactly(PROJECT.accessKeyId()).doesNotContain(GLOBAL.accessKeyId());
    }

    @Test
    void stsFailures_mapThroughTheSharedTable() {
        Settings s = settings(Map.of("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAUNKNOWN000000009"));
        try (ProjectAwsCredentials c = ProjectAwsCredentials.resolve(s);
             StsClient sts = AwsSdkClients.sts(c, Region.US_EAST_1, EndpointOverride.resolve(s, AwsConfigKeys.ENDPOINT_URL_STS),
                     java.time.Duration.ofSeconds(10))) {
            assertThatThrownBy(sts::getCallerIdentity).isInstanceOfSatisfying(SdkException.class, e ->
                    assertThat(AwsFailures.shared(e, "AWS STS", "checking the caller identity", "sts", c))
                            .hasValueSatisfying(mapped -> {
                                assertThat(mapped).isInstanceOf(AccessDeniedException.class);
                                assertThat(mapped.getMessage()).contains("InvalidClientTokenId")
                                        .contains("when checking the caller identity").contains("project-specific (MLFLOW_AWS_*)");
                            }));
        }
    }

    @Test
    void endpointOverride_serviceVariableFirst_andIgnoredWhenAsked() {
        Settings both = Settings.builder().set("AWS_ENDPOINT_URL", "http://a:1").set("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://b:2").build();
        assertThat(EndpointOverride.resolve(both, AwsConfigKeys.ENDPOINT_URL_SECRETS_MANAGER))
                .hasValueSatisfying(e -> assertThat(e.toString()).isEqualTo("http://b:2 (AWS_ENDPOINT_URL_SECRETS_MANAGER)"));
        assertThat(EndpointOverride.resolve(both, AwsConfigKeys.ENDPOINT_URL_STS))
                .hasValueSatisfying(e -> assertThat(e.variable()).isEqualTo("AWS_ENDPOINT_URL"));
        assertThat(EndpointOverride.resolve(Settings.builder().set("AWS_ENDPOINT_URL", "http://a:1")
                .set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true").build(), AwsConfigKeys.ENDPOINT_URL_STS)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> EndpointOverride.resolve(Settings.builder().set("AWS_ENDPOINT_URL", "http://user:pw@h").build(),
                AwsConfigKeys.ENDPOINT_URL_STS)).isInstanceOf(ConfigurationException.class).hasMessageNotContaining("pw");
    }
}
