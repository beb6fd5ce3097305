package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.aws.client.AwsFailures;
import io.github.mlflowsecretsauth.aws.client.AwsSdkClients;
import io.github.mlflowsecretsauth.aws.client.EndpointOverride;
import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.cli.report.Check;
import io.github.mlflowsecretsauth.cli.report.Status;
import io.github.mlflowsecretsauth.config.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.SecretsAuthException;
import io.github.mlflowsecretsauth.redact.Redactor;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

import java.time.Duration;
import java.util.Optional;

/**
 * {@code doctor}'s AWS check, when the AWS provider or SigV4 signing is in use: the project-scoped
 * credentials are valid (STS {@code GetCallerIdentity}, showing the account and ARN, never a key).
 */
final class AwsIdentityCheck {
    private AwsIdentityCheck() {
    }

    static boolean applies(SecretsAuth engine) {
        return engine.headerSource().signsEachRequest() || engine.chain().stream().anyMatch(b -> b.name().equals("aws-secrets-manager"));
    }

    static Check run(Settings settings) {
        Check c = new Check("AWS credentials", Status.OK);
        try (ProjectAwsCredentials credentials = ProjectAwsCredentials.resolve(settings)) {
            Region region = credentials.region().map(r -> r.region()).orElse(Region.US_EAST_1);
            Optional<EndpointOverride> endpoint = EndpointOverride.resolve(settings, AwsConfigKeys.ENDPOINT_URL_STS);
            Duration deadline = ConfigValues.fetchTimeout(settings);
            try (StsClient sts = AwsSdkClients.sts(credentials, region, endpoint, deadline)) {
                GetCallerIdentityResponse id = sts.getCallerIdentity();
                c.detail("Source", credentials.resolveSourceLabel());
                c.detail("Account", id.account());
                c.detail("ARN", id.arn());
            } catch (SdkException e) {
                String reason = AwsFailures.shared(e, "STS", "checking the caller identity", endpoint.map(Object::toString)
                        .orElse("sts." + region.id()), credentials, deadline).map(SecretsAuthException::getMessage)
                        .orElse(Redactor.oneLine(e.getMessage(), 300));
                c.status(Status.FAIL).error(reason).solution("check the AWS credentials MLflow uses (bin/mlflow-secrets-auth config)");
            }
        } catch (SecretsAuthException e) {
            c.status(Status.FAIL).error(e.getMessage()).solution("fix the AWS settings named above");
        }
        return c;
    }
}
