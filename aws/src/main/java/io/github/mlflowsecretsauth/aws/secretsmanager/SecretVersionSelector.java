package io.github.mlflowsecretsauth.aws.secretsmanager;

import io.github.mlflowsecretsauth.aws.AwsConfigKeys;
import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Which version of the secret to read, from {@code MLFLOW_AWS_SECRET_VERSION}: unset means the
 * {@code AWSCURRENT} stage; a UUID is a version id ({@code VersionId}); anything else is a staging
 * label ({@code VersionStage}: {@code AWSCURRENT}, {@code AWSPREVIOUS}, {@code AWSPENDING} or a custom
 * label). The prefixes {@code id:} and {@code stage:} force either reading. Immutable.
 *
 * @param byId     whether {@link #value()} is a version id rather than a staging label
 * @param value    the version id or label
 * @param explicit whether the variable was set
 */
public record SecretVersionSelector(boolean byId, String value, boolean explicit) {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern SAFE = Pattern.compile("[\\x21-\\x7e]{1,256}");
    private static final String HINT = ": expected a staging label such as AWSCURRENT or AWSPENDING, or a version id (a UUID; "
            + "prefix id: or stage: to force either)";

    public static SecretVersionSelector parse(Optional<String> raw) {
        if (raw.isEmpty()) {
            return new SecretVersionSelector(false, "AWSCURRENT", false);
        }
        String v = raw.get().strip();
        boolean byId;
        if (v.startsWith("id:")) {
            byId = true;
            v = v.substring(3);
        } else if (v.startsWith("stage:")) {
            byId = false;
            v = v.substring(6);
        } else {
            byId = UUID.matcher(v).matches();
        }
        if (!SAFE.matcher(v).matches() || (byId && (v.length() < 32 || v.length() > 64))) {
            throw new ConfigurationException(AwsConfigKeys.SECRET_VERSION + " is not a valid version selector" + HINT);
        }
        return new SecretVersionSelector(byId, v, true);
    }

    void apply(GetSecretValueRequest.Builder request) {
        if (byId) {
            request.versionId(value);
        } else {
            request.versionStage(value);
        }
    }

    @Override
    public String toString() {
        return (byId ? "version id " : "stage ") + value + (explicit ? "" : " (default)");
    }
}
