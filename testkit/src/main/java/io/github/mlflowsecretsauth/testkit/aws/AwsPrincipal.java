package io.github.mlflowsecretsauth.testkit.aws;

import java.util.Objects;
import java.util.Optional;

/**
 * An identity the {@link AwsServer} knows: an access key pair, an optional session token
 * (temporary credentials), and what {@code sts:GetCallerIdentity} reports for it.
 * {@link #toString()} shows the access key id and ARN only, never the secret key or token.
 *
 * <p>Thread-safe: immutable.
 *
 * @param accessKeyId     the key id the client signs with, e.g. {@code AKIAMLFLOWPROJECT001}
 * @param secretAccessKey the signing secret
 * @param sessionToken    the session token temporary credentials must send, if any
 * @param arn             the caller's ARN, e.g. {@code arn:aws:iam::123456789012:user/mlflow}
 * @param userId          the caller's unique id, e.g. {@code AIDA...} or {@code AROA...:session}
 */
public record AwsPrincipal(String accessKeyId, String secretAccessKey, Optional<String> sessionToken, String arn,
                           String userId) {

    /** The account the factories put principals in unless told otherwise. */
    public static final String DEFAULT_ACCOUNT = "123456789012";

    public AwsPrincipal {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(userId, "userId");
        if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("access key id and secret access key must not be blank");
        }
    }

    /** A long-term IAM user key in {@link #DEFAULT_ACCOUNT}. */
    public static AwsPrincipal user(String userName, String accessKeyId, String secretAccessKey) {
        return new AwsPrincipal(accessKeyId, secretAccessKey, Optional.empty(),
                "arn:aws:iam::" + DEFAULT_ACCOUNT + ":user/" + userName, "AIDA" + suffix(accessKeyId));
    }

    /** Temporary credentials of an assumed role in {@link #DEFAULT_ACCOUNT} (session name {@code mlflow}). */
    public static AwsPrincipal assumedRole(String roleName, String accessKeyId, String secretAccessKey, String sessionToken) {
        return new AwsPrincipal(accessKeyId, secretAccessKey, Optional.of(sessionToken),
                "arn:aws:sts::" + DEFAULT_ACCOUNT + ":assumed-role/" + roleName + "/mlflow", "AROA" + suffix(accessKeyId) + ":mlflow");
    }

    /** The account id, the fifth field of the ARN. */
    public String account() {
        String[] parts = arn.split(":", 6);
        return parts.length > 4 ? parts[4] : "";
    }

    private static String suffix(String accessKeyId) {
        String upper = accessKeyId.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        return upper.length() > 16 ? upper.substring(upper.length() - 16) : upper;
    }

    @Override
    public String toString() {
        return "AwsPrincipal{" + accessKeyId + ", " + arn + (sessionToken.isPresent() ? ", temporary" : "") + "}";
    }
}
