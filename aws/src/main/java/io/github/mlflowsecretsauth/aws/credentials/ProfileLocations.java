package io.github.mlflowsecretsauth.aws.credentials;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileLocation;

/**
 * Which AWS profile files and profile the project uses: {@code AWS_CONFIG_FILE},
 * {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_PROFILE} read through {@link Settings} (so a
 * {@code .env} line counts), else the SDK's defaults ({@code ~/.aws/config}, {@code ~/.aws/credentials},
 * profile {@code default}). Immutable.
 */
public final class ProfileLocations {
    private final Supplier<ProfileFile> file;
    private final boolean custom;
    private final String profileName;
    private final boolean profileNamed;

    private ProfileLocations(Supplier<ProfileFile> file, boolean custom, String profileName, boolean profileNamed) {
        this.file = file;
        this.custom = custom;
        this.profileName = profileName;
        this.profileNamed = profileNamed;
    }

    /** Reads the locations; an explicitly named file that cannot be read is a configuration error. */
    public static ProfileLocations from(Settings s) {
        Optional<Path> config = s.get(AwsConfigKeys.CONFIG_FILE).map(v -> readable(AwsConfigKeys.CONFIG_FILE, v));
        Optional<Path> credentials = s.get(AwsConfigKeys.SHARED_CREDENTIALS_FILE)
                .map(v -> readable(AwsConfigKeys.SHARED_CREDENTIALS_FILE, v));
        Optional<String> named = s.get(AwsConfigKeys.PROFILE);
        String profile = named.orElse("default");
        if (config.isEmpty() && credentials.isEmpty()) {
            return new ProfileLocations(ProfileFile::defaultProfileFile, false, profile, named.isPresent());
        }
        ProfileFile.Aggregator all = ProfileFile.aggregator();
        config.or(ProfileFileLocation::configurationFileLocation)
                .ifPresent(p -> all.addFile(ProfileFile.builder().content(p).type(ProfileFile.Type.CONFIGURATION).build()));
        credentials.or(ProfileFileLocation::credentialsFileLocation)
                .ifPresent(p -> all.addFile(ProfileFile.builder().content(p).type(ProfileFile.Type.CREDENTIALS).build()));
        ProfileFile merged;
        try {
            merged = all.build();
        } catch (RuntimeException e) {
            throw new ConfigurationException("cannot parse the AWS profile files named by " + AwsConfigKeys.CONFIG_FILE + "/"
                    + AwsConfigKeys.SHARED_CREDENTIALS_FILE + " (" + e.getClass().getSimpleName() + "): fix their syntax");
        }
        return new ProfileLocations(() -> merged, true, profile, named.isPresent());
    }

    private static Path readable(String variable, String value) {
        Path p = Path.of(value);
        if (!Files.isReadable(p)) {
            throw new ConfigurationException(variable + ": cannot read " + p + ": point it at a readable AWS profile file, or unset it");
        }
        return p;
    }

    /** The profile files named through {@link Settings}, if any (else the SDK finds its default files itself). */
    public Optional<Supplier<ProfileFile>> customFile() {
        return custom ? Optional.of(file) : Optional.empty();
    }

    /** {@code AWS_PROFILE} as read through {@link Settings}, if set (else the SDK's default profile). */
    public Optional<String> namedProfile() {
        return profileNamed ? Optional.of(profileName) : Optional.empty();
    }

    public String profileName() {
        return profileName;
    }

    /** The profile's {@code region}, if the files can be read and set one. */
    public Optional<String> region() {
        try {
            return file.get().profile(profileName).flatMap(p -> p.property("region"));
        } catch (RuntimeException e) {
            return Optional.empty(); // an unreadable default profile file must not break start-up
        }
    }

    /** E.g. {@code AWS profile 'default'}. */
    public String describe() {
        return "AWS profile '" + profileName + "'";
    }

    @Override
    public String toString() {
        return "ProfileLocations{" + describe() + (custom ? ", custom files" : "") + "}";
    }
}
