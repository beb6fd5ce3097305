package io.github.mlflowsecretsauth.testkit.vault;

import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The client configuration of a testkit Vault {@code aws} auth mount ({@code auth/<mount>/config/client}) and the
 * AWS account behind it: the principals STS knows (their keys verify the login's signature),
 * {@code iam_server_id_header_value} (when set, the login's signed request must carry
 * {@code X-Vault-AWS-IAM-Server-ID} with this value, signed) and {@code sts_region}, the region of the STS endpoint
 * Vault hands the request to ({@code us-east-1} for the default, global {@code https://sts.amazonaws.com}).
 * Immutable; {@link #toString()} shows no key.
 *
 * @param principals             the identities STS knows
 * @param iamServerIdHeaderValue the required server-id header value, if any
 * @param stsRegion              the signing region STS expects
 */
public record AwsAuthConfig(List<AwsPrincipal> principals, Optional<String> iamServerIdHeaderValue, String stsRegion) {

    public AwsAuthConfig {
        principals = List.copyOf(principals);
        Objects.requireNonNull(iamServerIdHeaderValue, "iamServerIdHeaderValue");
        Objects.requireNonNull(stsRegion, "stsRegion");
    }

    /** STS knows {@code principals}; no server-id header; the global endpoint (us-east-1). */
    public static AwsAuthConfig of(Collection<AwsPrincipal> principals) {
        return new AwsAuthConfig(List.copyOf(principals), Optional.empty(), "us-east-1");
    }

    /** The same, requiring {@code X-Vault-AWS-IAM-Server-ID: value}. */
    public AwsAuthConfig withServerIdHeader(String value) {
        return new AwsAuthConfig(principals, Optional.of(value), stsRegion);
    }

    /** The same with a regional STS endpoint's region ({@code sts_endpoint}/{@code sts_region}). */
    public AwsAuthConfig withStsRegion(String region) {
        return new AwsAuthConfig(principals, iamServerIdHeaderValue, region);
    }

    @Override
    public String toString() {
        return "AwsAuthConfig{" + principals + iamServerIdHeaderValue.map(v -> ", server id " + v).orElse("")
                + ", sts region " + stsRegion + "}";
    }
}
