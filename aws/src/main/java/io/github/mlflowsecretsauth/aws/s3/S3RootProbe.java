package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.aws.credentials.ProjectAwsCredentials;
import io.github.mlflowsecretsauth.aws.credentials.ProjectRegion;
import io.github.mlflowsecretsauth.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * Checks an S3 artifact root end to end with the project-scoped credentials, as the seed's S3 test script
 * does: the bucket is reachable ({@code HeadBucket}), and a probe object with a unique name under the prefix
 * is written, read back (content compared) and deleted. Stops at the first failing step, but always tries to
 * delete a probe it wrote. Thread-safe (stateless).
 */
public final class S3RootProbe {
    /** The probe objects' name prefix, under the root's prefix. */
    public static final String PROBE_PREFIX = ".mlflow-secrets-auth-probe-";

    /**
     * One step's outcome.
     *
     * @param name   e.g. {@code Bucket reachable}
     * @param ok     whether it passed
     * @param detail what it did, e.g. the probe key
     * @param error  the one-line failure, or {@code null}
     * @param hint   what to do about a failure, or {@code null}
     */
    public record Step(String name, boolean ok, String detail, String error, String hint) {
    }

    /** The outcome: the credential source, the endpoint, and each step run. */
    public record Result(String credentials, String endpoint, List<Step> steps) {
        public boolean ok() {
            return steps.stream().allMatch(Step::ok);
        }
    }

    private S3RootProbe() {
    }

    /** Runs the probe against {@code location}; configuration errors throw {@link io.github.mlflowsecretsauth.error.ConfigurationException}. */
    public static Result run(S3Location location, Settings settings) {
        S3Settings s3Settings = S3Settings.from(settings);
        try (ProjectAwsCredentials credentials = ProjectAwsCredentials.resolve(settings)) {
            Region region = credentials.region().map(ProjectRegion::region).orElse(Region.US_EAST_1);
            String endpoint = s3Settings.endpoint().map(Object::toString).orElse("s3." + region.id() + ".amazonaws.com");
            List<Step> steps = new ArrayList<>();
            try (S3Client s3 = S3Clients.create(credentials, region, s3Settings)) {
                Probe p = new Probe(s3, location, credentials, endpoint, steps);
                p.run();
            }
            return new Result(credentials.sourceLabel(), endpoint, steps);
        }
    }

    private record Probe(S3Client s3, S3Location location, ProjectAwsCredentials credentials, String endpoint, List<Step> steps) {
        void run() {
            String bucket = location.bucket();
            if (!step("Bucket reachable", "HeadBucket s3://" + bucket, "",
                    "check the bucket in MLFLOW_ARTIFACT_ROOT, the region (MLFLOW_AWS_DEFAULT_REGION) and MLFLOW_S3_ENDPOINT_URL, "
                            + "and that these credentials may s3:ListBucket it",
                    () -> s3.headBucket(r -> r.bucket(bucket)))) {
                return;
            }
            String key = location.key(PROBE_PREFIX + UUID.randomUUID());
            byte[] content = ("mlflow-secrets-auth probe " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
            if (!step("Probe object written", "PutObject s3://" + bucket + "/" + key, key,
                    "allow these credentials s3:PutObject on the artifact prefix",
                    () -> s3.putObject(r -> r.bucket(bucket).key(key).checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(content)))) {
                return;
            }
            step("Probe object read back", content.length + " bytes, content matches", key,
                    "allow these credentials s3:GetObject on the artifact prefix", () -> {
                        byte[] back = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED)).asByteArray();
                        if (!Arrays.equals(back, content)) {
                            throw new IllegalStateException("the probe object read back differs from what was written ("
                                    + back.length + " bytes instead of " + content.length + ")");
                        }
                    });
            step("Probe object deleted", "DeleteObject s3://" + bucket + "/" + key, key,
                    "allow these credentials s3:DeleteObject on the artifact prefix, and delete s3://" + bucket + "/" + key + " by hand",
                    () -> s3.deleteObject(r -> r.bucket(bucket).key(key)));
        }

        private boolean step(String name, String detail, String key, String hint, Runnable action) {
            try {
                action.run();
                steps.add(new Step(name, true, detail, null, null));
                return true;
            } catch (SdkException e) {
                IOException mapped = S3Errors.map(e, name.toLowerCase(java.util.Locale.ROOT).replace("probe object ", "")
                        .replace("written", "writing the probe object").replace("read back", "reading the probe object back")
                        .replace("deleted", "deleting the probe object").replace("bucket reachable", "checking the bucket"),
                        location.bucket(), key, endpoint, credentials);
                steps.add(new Step(name, false, detail, mapped.getMessage(), hint));
            } catch (IllegalStateException e) {
                steps.add(new Step(name, false, detail, e.getMessage(), hint));
            }
            return false;
        }
    }
}
