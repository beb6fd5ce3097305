package io.github.mlflowsecretsauth.aws.credentials;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import io.github.mlflowsecretsauth.internal.ConfigValues;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS credentials and region everything in this project uses to talk to AWS (seed 000,
 * "project-specific AWS credentials"). Precedence, each read through {@link Settings} (environment,
 * system properties, {@code .env}):
 * <ol>
 *   <li>{@code MLFLOW_AWS_ACCESS_KEY_ID} + {@code MLFLOW_AWS_SECRET_ACCESS_KEY} (+ {@code MLFLOW_AWS_SESSION_TOKEN});</li>
 *   <li>{@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN});</li>
 *   <li>the SDK's default chain (system properties, environment, web identity, profiles incl. SSO and
 *       role assumption, container and instance roles), with {@code AWS_PROFILE},
 *       {@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE} taken from {@link Settings}; each look-up
 *       bounded by {@code MLFLOW_SECRETS_FETCH_TIMEOUT_SEC} ({@link DeadlineCredentialsProvider}).</li>
 * </ol>
 * The region is {@link ProjectRegion}'s.
 *
 * <p>Nothing global changes: no system property or environment variable is written, and SDK clients
 * get this object's {@link #provider()} and region explicitly, so every other AWS client in the JVM
 * keeps its own credentials. Temporary credentials of the default chain are cached and refreshed
 * ahead of expiry by the SDK's own providers; static keys are used as given.
 *
 * <p>Thread-safe. {@link #toString()} never shows a secret key or token. Closing releases the default
 * chain's resources (its refresh threads and HTTP clients).
 */
public final class ProjectAwsCredentials implements AutoCloseable {
    /** How the message of a default-chain look-up that passed the fetch deadline starts. */
    public static final String DEFAULT_CHAIN_LATE = DeadlineCredentialsProvider.LATE;

    private final CredentialSource source;
    private final ObservedCredentialsProvider provider;
    private final Optional<String> accessKeyId;
    private final boolean sessionToken;
    private final Optional<ProjectRegion> region;
    private final SdkAutoCloseable owned;

    private ProjectAwsCredentials(CredentialSource source, AwsCredentialsProvider delegate, Optional<String> accessKeyId,
                                  boolean sessionToken, Optional<ProjectRegion> region, SdkAutoCloseable owned) {
        this.source = source;
        this.provider = new ObservedCredentialsProvider(delegate, source.label());
        this.accessKeyId = accessKeyId;
        this.sessionToken = sessionToken;
        this.region = region;
        this.owned = owned;
    }

    /**
     * Resolves where credentials come from. Contacts nothing: static keys are checked for
     * completeness, the default chain is only built.
     *
     * @throws ConfigurationException if half a key pair is set, or a named profile file is unreadable
     */
    public static ProjectAwsCredentials resolve(Settings settings) {
        ProfileLocations profiles = ProfileLocations.from(settings);
        Optional<ProjectRegion> region = ProjectRegion.resolve(settings, profiles);
        Optional<String> projectId = settings.get(AwsConfigKeys.PROJECT_ACCESS_KEY_ID);
        Optional<String> projectSecret = settings.get(AwsConfigKeys.PROJECT_SECRET_ACCESS_KEY);
        Optional<String> projectToken = settings.get(AwsConfigKeys.PROJECT_SESSION_TOKEN);
        if (projectId.isPresent() || projectSecret.isPresent() || projectToken.isPresent()) {
            return fixed(CredentialSource.PROJECT, projectId, projectSecret, projectToken, AwsConfigKeys.PROJECT_ACCESS_KEY_ID,
                    AwsConfigKeys.PROJECT_SECRET_ACCESS_KEY, region);
        }
        Optional<String> id = settings.get(AwsConfigKeys.ACCESS_KEY_ID);
        Optional<String> secret = settings.get(AwsConfigKeys.SECRET_ACCESS_KEY);
        if (id.isPresent() || secret.isPresent()) {
            return fixed(CredentialSource.GLOBAL, id, secret, settings.get(AwsConfigKeys.SESSION_TOKEN), AwsConfigKeys.ACCESS_KEY_ID,
                    AwsConfigKeys.SECRET_ACCESS_KEY, region);
        }
        DefaultCredentialsProvider.Builder b = DefaultCredentialsProvider.builder();
        profiles.customFile().ifPresent(b::profileFile);
        profiles.namedProfile().ifPresent(b::profileName);
        DefaultCredentialsProvider chain = b.build();
        return new ProjectAwsCredentials(CredentialSource.DEFAULT_CHAIN,
                new DeadlineCredentialsProvider(chain, ConfigValues.fetchTimeout(settings)), Optional.empty(), false, region, chain);
    }

    private static ProjectAwsCredentials fixed(CredentialSource source, Optional<String> id, Optional<String> secret,
                                               Optional<String> token, String idName, String secretName,
                                               Optional<ProjectRegion> region) {
        if (id.isEmpty()) {
            throw new ConfigurationException(idName + " is not set but " + (secret.isPresent() ? secretName
                    : source == CredentialSource.PROJECT ? AwsConfigKeys.PROJECT_SESSION_TOKEN : secretName)
                    + " is: set both " + idName + " and " + secretName + ", or neither");
        }
        if (secret.isEmpty()) {
            throw new ConfigurationException(secretName + " is not set but " + idName + " is: set both, or neither");
        }
        AwsCredentials credentials = token.isPresent()
                ? AwsSessionCredentials.builder().accessKeyId(id.get()).secretAccessKey(secret.get()).sessionToken(token.get())
                        .providerName(source.label()).build()
                : AwsBasicCredentials.builder().accessKeyId(id.get()).secretAccessKey(secret.get()).providerName(source.label()).build();
        return new ProjectAwsCredentials(source, StaticCredentialsProvider.create(credentials), id, token.isPresent(), region, null);
    }

    /** The provider to give every SDK client this project builds. */
    public AwsCredentialsProvider provider() {
        return provider;
    }

    public CredentialSource source() {
        return source;
    }

    /**
     * As the seed shows it: {@code project-specific (MLFLOW_AWS_*)}, {@code global (AWS_*)} or
     * {@code default chain (<provider>)}, the provider being {@code not resolved yet} before the first
     * AWS call. Contacts nothing.
     */
    public String sourceLabel() {
        if (source != CredentialSource.DEFAULT_CHAIN) {
            return source.label();
        }
        return source.label() + " (" + provider.lastProvider().orElse("not resolved yet") + ")";
    }

    /**
     * Resolves the credentials now (for the default chain this may read files or call a metadata
     * endpoint) and returns {@link #sourceLabel()}. Throws the SDK's exception if none can be found.
     */
    public String resolveSourceLabel() {
        provider.resolveCredentials();
        return sourceLabel();
    }

    /** The region of the project, if one is configured. */
    public Optional<ProjectRegion> region() {
        return region;
    }

    /** The access key id masked as {@code aws configure list} shows it ({@code ****************WXYZ}), for static keys. */
    public Optional<String> maskedAccessKeyId() {
        return accessKeyId.map(id -> "*".repeat(Math.max(0, Math.min(16, id.length() - 4))) + id.substring(Math.max(0, id.length() - 4)));
    }

    /** Whether static keys carry a session token (temporary credentials). */
    public boolean hasSessionToken() {
        return sessionToken;
    }

    /** The variables that hold the keys, for "check ..." hints in error messages. */
    public String keyVariables() {
        return switch (source) {
            case PROJECT -> AwsConfigKeys.PROJECT_ACCESS_KEY_ID + " / " + AwsConfigKeys.PROJECT_SECRET_ACCESS_KEY
                    + (sessionToken ? " / " + AwsConfigKeys.PROJECT_SESSION_TOKEN : "");
            case GLOBAL -> AwsConfigKeys.ACCESS_KEY_ID + " / " + AwsConfigKeys.SECRET_ACCESS_KEY
                    + (sessionToken ? " / " + AwsConfigKeys.SESSION_TOKEN : "");
            case DEFAULT_CHAIN -> "the default chain's credentials (AWS_PROFILE, ~/.aws, or the attached role)";
        };
    }

    /** Non-secret facts for reports: source, masked key id, region. */
    public Map<String, String> describe() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("credentials", sourceLabel());
        maskedAccessKeyId().ifPresent(k -> d.put("access key id", k + (sessionToken ? " (with session token)" : "")));
        d.put("region", region.map(ProjectRegion::toString).orElse("not set"));
        return d;
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return "ProjectAwsCredentials{" + sourceLabel() + maskedAccessKeyId().map(k -> ", key=" + k).orElse("")
                + ", region=" + region.map(ProjectRegion::toString).orElse("<none>") + "}";
    }
}
