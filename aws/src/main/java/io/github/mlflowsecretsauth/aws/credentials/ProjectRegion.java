package io.github.mlflowsecretsauth.aws.credentials;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.regions.Region;

/**
 * The project's AWS region and where it was found: {@code MLFLOW_AWS_DEFAULT_REGION}, then
 * {@code AWS_REGION}, then {@code AWS_DEFAULT_REGION}, then the {@code region} of the AWS profile.
 * Instance metadata is not asked (that would be a network call at start-up). Immutable.
 *
 * @param region the region
 * @param from   the variable or profile it came from, for reports
 */
public record ProjectRegion(Region region, String from) {
    private static final Pattern REGION = Pattern.compile("[a-z0-9]{1,20}(-[a-z0-9]{1,20}){1,5}");
    private static final List<String> VARIABLES = List.of(AwsConfigKeys.PROJECT_REGION, AwsConfigKeys.REGION,
            AwsConfigKeys.DEFAULT_REGION);

    /** Resolves the region, or empty if none is configured anywhere. */
    public static Optional<ProjectRegion> resolve(Settings settings, ProfileLocations profiles) {
        for (String name : VARIABLES) {
            Optional<String> value = settings.get(name);
            if (value.isPresent()) {
                return Optional.of(new ProjectRegion(parse(name, value.get()), name));
            }
        }
        return profiles.region().map(r -> new ProjectRegion(parse("the region of " + profiles.describe(), r), profiles.describe()));
    }

    /** A region id such as {@code us-east-1}; the error names {@code variable}. */
    public static Region parse(String variable, String value) {
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!REGION.matcher(v).matches()) {
            throw new ConfigurationException(variable + " is not an AWS region: expected an id such as us-east-1 or eu-west-1");
        }
        return Region.of(v);
    }

    @Override
    public String toString() {
        return region.id() + " (" + from + ")";
    }
}
