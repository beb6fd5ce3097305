package io.github.mlflowsecretsauth.aws.s3;

import io.github.mlflowsecretsauth.aws.testing.AwsFixtures;
import io.github.mlflowsecretsauth.config.Settings;
import io.github.mlflowsecretsauth.testkit.s3.S3Server;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** The S3 server and settings shared by the S3 tests: project keys and different global keys, both set. */
final class S3Fixtures {
    static final String BUCKET = "mlflow-artifacts";
    static final int MIB = 1024 * 1024;

    private S3Fixtures() {
    }

    static S3Server server() {
        return S3Server.builder().principal(AwsFixtures.PROJECT).principal(AwsFixtures.GLOBAL).bucket(BUCKET).start();
    }

    /** Project keys (MLFLOW_AWS_*) and global keys (AWS_*) both set; 5 MiB parts from 5 MiB on; one attempt. */
    static Map<String, String> env(S3Server s3, String prefix) {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_ARTIFACT_ROOT", "s3://" + BUCKET + "/" + prefix);
        e.put("MLFLOW_S3_ENDPOINT_URL", s3.endpoint().toString());
        e.put("MLFLOW_AWS_ACCESS_KEY_ID", AwsFixtures.PROJECT.accessKeyId());
        e.put("MLFLOW_AWS_SECRET_ACCESS_KEY", AwsFixtures.PROJECT.secretAccessKey());
        e.put("MLFLOW_AWS_DEFAULT_REGION", s3.region());
        e.put("AWS_ACCESS_KEY_ID", AwsFixtures.GLOBAL.accessKeyId());
        e.put("AWS_SECRET_ACCESS_KEY", AwsFixtures.GLOBAL.secretAccessKey());
        e.put("AWS_REGION", "eu-west-1");
        e.put("MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE", Integer.toString(5 * MIB));
        e.put("MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE", Integer.toString(5 * MIB));
        e.put("MLFLOW_S3_UPLOAD_CONCURRENCY", "3");
        e.put("AWS_MAX_ATTEMPTS", "1");
        return e;
    }

    static Settings settings(Map<String, String> env) {
        return Settings.builder().environment(env).build();
    }

    static S3ArtifactRepository repository(Map<String, String> env) {
        return S3ArtifactRepositoryFactory.fromArtifactRoot(settings(env)).orElseThrow();
    }

    /** A file of {@code size} pseudo-random bytes from {@code seed}. */
    static Path randomFile(Path file, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                for (int i = 0; i < buf.length; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        buf[i + j] = (byte) (r >>> (8 * j));
                    }
                }
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                left -= n;
            }
        }
        return file;
    }
}
