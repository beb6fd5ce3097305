package io.github.mlflowsecretsauth.aws.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.AccessDeniedException;
import io.github.mlflowsecretsauth.error.BackendUnavailableException;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.error.SecretNotFoundException;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/** The whole table of AWS error codes to project exceptions, including codes the testkit has no switch for. */
class SecretsManagerErrorMappingTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "400, ResourceNotFoundException, SecretNotFound, false",
            "400, AccessDeniedException, AccessDenied, false",
            "400, UnrecognizedClientException, AccessDenied, false",
            "400, InvalidSignatureException, AccessDenied, false",
            "400, ExpiredTokenException, AccessDenied, false",
            "400, DecryptionFailure, AccessDenied, false",
            "400, InvalidRequestException, Configuration, false",
            "400, InvalidParameterException, Configuration, false",
            "400, ThrottlingException, BackendUnavailable, true",
            "429, '', BackendUnavailable, true",
            "500, InternalServiceError, BackendUnavailable, true",
            "503, '', BackendUnavailable, true",
            "400, SomethingNew, BackendUnavailable, false",
    })
    void awsErrorCodes_mapToTheProjectsExceptions(int status, String code, String kind, boolean transientFailure) {
        SecretsManagerException e = (SecretsManagerException) SecretsManagerException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code.isEmpty() ? null : code).errorMessage("detail text").build())
                .build();
        SecretsManagerConfig config = SecretsManagerConfig.from(Settings.builder().set("MLFLOW_AWS_SECRET_ID", "prod/x").build(),
                java.util.Optional.of(new io.github.mlflowsecretsauth.aws.credentials.ProjectRegion(
                        software.amazon.awssdk.regions.Region.US_EAST_1, "AWS_REGION")));
        try (ProjectAwsCredentials creds = ProjectAwsCredentials.resolve(Settings.builder().setAll(Map.of(
                "MLFLOW_AWS_ACCESS_KEY_ID", "AKIA1", "MLFLOW_AWS_SECRET_ACCESS_KEY", "CANARYsecret")).build())) {
            SecretsAuthException mapped = SecretsManagerErrors.map(e, config, creds);
            Class<?> expected = switch (kind) {
                case "SecretNotFound" -> SecretNotFoundException.class;
                case "AccessDenied" -> AccessDeniedException.class;
                case "Configuration" -> ConfigurationException.class;
                default -> BackendUnavailableException.class;
            };
            assertThat(mapped).isInstanceOf(expected);
            assertThat(mapped.isTransient()).isEqualTo(transientFailure);
            assertThat(mapped.getMessage()).contains("prod/x").doesNotContain("CANARYsecret").doesNotContain("\n");
        }
    }
}
