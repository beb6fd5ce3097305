package io.github.mlflowsecretsauth.aws.credentials;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Passes credential look-ups to the real provider and remembers which provider of a chain answered
 * last, so reports can say {@code default chain (ProfileCredentialsProvider)}. Caching and refresh
 * stay with the delegate. Thread-safe.
 */
final class ObservedCredentialsProvider implements AwsCredentialsProvider {
    /**
     * The SDK reports the provider as business-metric feature ids (software.amazon.awssdk.core.useragent
     * .BusinessMetricFeatureId), e.g. {@code n} for a profile, {@code o,i} for a role assumed from a profile.
     */
    private static final Map<String, String> FEATURE_IDS = Map.ofEntries(
            Map.entry("e", "StaticCredentialsProvider"), Map.entry("f", "SystemPropertyCredentialsProvider"),
            Map.entry("g", "EnvironmentVariableCredentialsProvider"), Map.entry("h", "WebIdentityTokenFileCredentialsProvider"),
            Map.entry("i", "STS AssumeRole"), Map.entry("j", "STS AssumeRoleWithSAML"), Map.entry("k", "STS AssumeRoleWithWebIdentity"),
            Map.entry("l", "STS GetFederationToken"), Map.entry("m", "STS GetSessionToken"),
            Map.entry("n", "ProfileCredentialsProvider"), Map.entry("o", "ProfileCredentialsProvider (source_profile)"),
            Map.entry("p", "ProfileCredentialsProvider (credential_source)"), Map.entry("q", "ProfileCredentialsProvider (web identity)"),
            Map.entry("r", "ProfileCredentialsProvider (SSO)"), Map.entry("s", "SsoCredentialsProvider"),
            Map.entry("t", "ProfileCredentialsProvider (legacy SSO)"), Map.entry("u", "SsoCredentialsProvider (legacy)"),
            Map.entry("v", "ProfileCredentialsProvider (credential_process)"), Map.entry("w", "ProcessCredentialsProvider"),
            Map.entry("z", "ContainerCredentialsProvider"), Map.entry("0", "InstanceProfileCredentialsProvider"),
            Map.entry("AC", "ProfileCredentialsProvider (login)"), Map.entry("AD", "LoginCredentialsProvider"));

    private final AwsCredentialsProvider delegate;
    private final String label;
    private volatile String lastProvider;

    ObservedCredentialsProvider(AwsCredentialsProvider delegate, String label) {
        this.delegate = delegate;
        this.label = label;
    }

    @Override
    public AwsCredentials resolveCredentials() {
        AwsCredentials c = delegate.resolveCredentials();
        lastProvider = c.providerName().map(ObservedCredentialsProvider::readable).orElse(delegate.getClass().getSimpleName());
        return c;
    }

    /** {@code n} becomes {@code ProfileCredentialsProvider}, {@code o,i} becomes {@code ... (source_profile) + STS AssumeRole}. */
    static String readable(String providerName) {
        List<String> parts = new ArrayList<>();
        for (String id : providerName.split(",")) {
            parts.add(FEATURE_IDS.getOrDefault(id.strip(), id.strip()));
        }
        return String.join(" + ", parts);
    }

    /** The provider that supplied the last credentials, once any were resolved. */
    Optional<String> lastProvider() {
        return Optional.ofNullable(lastProvider);
    }

    @Override
    public String toString() {
        return "ProjectCredentialsProvider(" + label + ")";
    }
}
