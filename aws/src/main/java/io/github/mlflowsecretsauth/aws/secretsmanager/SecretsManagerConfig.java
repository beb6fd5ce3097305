package io.github.mlflowsecretsauth.aws.secretsmanager;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.aws.client.EndpointOverride;
import io.github.mlflowsecretsauth.aws.credentials.ProjectRegion;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The {@code aws-secrets-manager} provider's settings, validated: the secret ({@code MLFLOW_AWS_SECRET_ID},
 * a name or an ARN), the version ({@code MLFLOW_AWS_SECRET_VERSION}), the region (the one in the ARN,
 * else the project's: {@code MLFLOW_AWS_DEFAULT_REGION}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
 * the profile) and an endpoint override ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}, {@code AWS_ENDPOINT_URL}).
 * Immutable; holds no credential.
 *
 * @param secretId   name or ARN
 * @param version    which version to read
 * @param region     where the secret lives
 * @param regionFrom where the region came from, for reports
 * @param endpoint   the endpoint override, if any
 * @param fetchTimeout the total deadline of each call, {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC}
 */
public record SecretsManagerConfig(String secretId, SecretVersionSelector version, Region region, String regionFrom,
                                   Optional<EndpointOverride> endpoint, java.time.Duration fetchTimeout) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9/_+=.@!:-]{1,2048}");
    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\\d{12}:secret:.+");

    /** The settings a fully configured provider needs that are not set. */
    static java.util.List<String> missing(Settings s, Optional<ProjectRegion> projectRegion) {
        java.util.List<String> out = new java.util.ArrayList<>();
        Optional<String> id = s.get(AwsConfigKeys.SECRET_ID);
        if (id.isEmpty()) {
            out.add(AwsConfigKeys.SECRET_ID);
        }
        if (projectRegion.isEmpty() && id.map(v -> !ARN.matcher(v).matches()).orElse(true)) {
            out.add(AwsConfigKeys.REGION + " (or " + AwsConfigKeys.PROJECT_REGION + ")");
        }
        return out;
    }

    static SecretsManagerConfig from(Settings s, Optional<ProjectRegion> projectRegion) {
        String id = ConfigValues.required(s, AwsConfigKeys.SECRET_ID, "set it to the secret's name or ARN, e.g. prod/mlflow/auth");
        if (!ID.matcher(id).matches()) {
            // Not echoed: a secret pasted into the wrong variable must not reach a log.
            throw new ConfigurationException(AwsConfigKeys.SECRET_ID + " is not a secret name or ARN: expected letters, digits and "
                    + "/_+=.@- (e.g. prod/mlflow/auth) or arn:aws:secretsmanager:<region>:<account>:secret:<name>");
        }
        SecretVersionSelector version = SecretVersionSelector.parse(s.get(AwsConfigKeys.SECRET_VERSION));
        Matcher arn = ARN.matcher(id);
        Region region;
        String from;
        if (arn.matches()) {
            region = ProjectRegion.parse(AwsConfigKeys.SECRET_ID, arn.group(1));
            from = "the secret's ARN";
        } else {
            ProjectRegion r = projectRegion.orElseThrow(() -> new ConfigurationException("no AWS region is set for "
                    + AwsConfigKeys.SECRET_ID + ": set " + AwsConfigKeys.REGION + " (or " + AwsConfigKeys.PROJECT_REGION
                    + ") to the secret's region, e.g. us-east-1, or use the secret's ARN"));
            region = r.region();
            from = r.from();
        }
        return new SecretsManagerConfig(id, version, region, from,
                EndpointOverride.resolve(s, AwsConfigKeys.ENDPOINT_URL_SECRETS_MANAGER), ConfigValues.fetchTimeout(s));
    }

    /** Where the secret lives, as error messages and {@code SecretValue.location()} show it. */
    String location() {
        return "aws-secrets-manager:" + secretId;
    }

    /** The endpoint requests go to, for network error messages. */
    String endpointForDisplay() {
        return endpoint.map(e -> e.uri().toString()).orElse("secretsmanager." + region.id() + ".amazonaws.com");
    }
}
