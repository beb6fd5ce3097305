package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.error.ConfigurationException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * An {@code s3://bucket/prefix} artifact root, validated: the bucket follows S3's naming rules and the
 * prefix has no empty, {@code .} or {@code ..} segment and no control characters. Immutable.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix without leading or trailing slash, {@code ""} for the bucket's top
 */
public record S3Location(String bucket, String prefix) {
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    /**
     * Parses {@code root}; errors name {@code variable} (e.g. {@code MLFLOW_ARTIFACT_ROOT}) and never echo
     * the value.
     *
     * @throws ConfigurationException if it is not a valid {@code s3://} root
     */
    public static S3Location parse(String variable, String root) {
        if (root == null || !root.regionMatches(true, 0, "s3://", 0, 5)) {
            throw new ConfigurationException(variable + " is not an s3:// URI: use s3://bucket/prefix");
        }
        String rest = root.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..") || IP.matcher(bucket).matches()) {
            throw new ConfigurationException(variable + " names an invalid S3 bucket: a bucket name is 3-63 lower-case letters,"
                    + " digits, dots or hyphens, starting and ending with a letter or digit (s3://bucket/prefix)");
        }
        checkKey(variable + " (its prefix)", prefix);
        return new S3Location(bucket, prefix);
    }

    /** Parses {@code uri} as {@link #parse(String, String)}. */
    public static S3Location of(String variable, URI uri) {
        return parse(variable, uri.toString());
    }

    /**
     * Checks a relative key or prefix: no empty, {@code .} or {@code ..} segment, no leading slash, no control
     * characters, at most 1024 bytes. {@code ""} is allowed.
     */
    static void checkKey(String what, String path) {
        if (path.isEmpty()) {
            return;
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 1024) {
            throw new ConfigurationException(what + " is longer than S3's 1024-byte key limit");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new ConfigurationException(what + " has an empty, '.' or '..' path segment: use a/b/c");
            }
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigurationException(what + " contains a control character");
        }
    }

    /** The object key of {@code relative} (a path under the root, {@code ""} for the root itself). */
    public String key(String relative) {
        if (relative.isEmpty()) {
            return prefix;
        }
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }

    /** {@code s3://bucket/prefix}. */
    public URI uri() {
        return URI.create("s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix));
    }

    @Override
    public String toString() {
        return uri().toString();
    }
}
