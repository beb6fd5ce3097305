package io.github.mlflowsecretsauth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import io.github.mlflowsecretsauth.testkit.s3.S3Call;
import io.github.mlflowsecretsauth.testkit.s3.S3Server;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor with an s3:// MLFLOW_ARTIFACT_ROOT: STS identity (testkit AWS server), then the bucket and a probe
 * object written, read back and deleted (testkit S3Server: S3Mock behind a signature-checking gateway).
 */
class S3DoctorTest {
    private static final String SECRET_KEY = "CANARYdoctorS3SecretKey/000000000000000";
    private static final AwsPrincipal PROJECT = AwsPrincipal.user("mlflow-project", "AKIADOCTORPROJECT001", SECRET_KEY);
    private static final AwsPrincipal GLOBAL = AwsPrincipal.user("main-project", "AKIADOCTORGLOBAL0001", "CANARYglobalKey/0000000000000000");
    private static S3Server s3;

    @TempDir
    Path dir;
    private AwsServer aws;

    @BeforeAll
    static void startS3() {
        s3 = S3Server.builder().principal(PROJECT).principal(GLOBAL).bucket("mlflow-artifacts").start();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
    }

    @BeforeEach
    void start() {
        s3.gateway().reset();
        aws = AwsServer.builder().principal(PROJECT).principal(GLOBAL).start();
        aws.createSecret("prod/mlflow/auth", "{\"token\":\"CANARYsecretValue-0123456789abcdef\"}");
    }

    @AfterEach
    void stop() {
        aws.close();
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "aws-secrets-manager");
        e.put("MLFLOW_AWS_SECRET_ID", "prod/mlflow/auth");
        e.put("MLFLOW_AWS_DEFAULT_REGION", "us-east-1");
        e.put("MLFLOW_AWS_ACCESS_KEY_ID", PROJECT.accessKeyId());
        e.put("MLFLOW_AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        e.put("AWS_ACCESS_KEY_ID", GLOBAL.accessKeyId());
        e.put("AWS_SECRET_ACCESS_KEY", GLOBAL.secretAccessKey());
        e.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        e.put("MLFLOW_ARTIFACT_ROOT", "s3://mlflow-artifacts/doctor");
        e.put("MLFLOW_S3_ENDPOINT_URL", s3.endpoint().toString());
        e.put("AWS_MAX_ATTEMPTS", "1");
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return e;
    }

    @Test
    void doctor_probesTheS3Root_withTheProjectKey_andLeavesNoProbeBehind() {
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("✅ AWS credentials").contains("✅ S3 artifact root").contains("Artifact root: s3://mlflow-artifacts/doctor")
                .contains("Credentials: project-specific (MLFLOW_AWS_*)").contains("Bucket reachable: ok: HeadBucket s3://mlflow-artifacts")
                .contains("Probe object written: ok: PutObject s3://mlflow-artifacts/doctor/.mlflow-secrets-auth-probe-")
                .contains("Probe object read back: ok: ").contains("content matches").contains("Probe object deleted: ok: ");
        List<S3Call> calls = s3.gateway().calls();
        assertThat(calls).extracting(S3Call::operation).containsExactly("HeadBucket", "PutObject", "GetObject", "DeleteObject");
        assertThat(calls).allSatisfy(c -> assertThat(c.accessKeyId()).contains(PROJECT.accessKeyId()));
        assertThat(calls.get(1).key()).startsWith("doctor/.mlflow-secrets-auth-probe-").isEqualTo(calls.get(3).key());
        assertThat(r.all()).doesNotContain("CANARY");
    }

    @Test
    void doctorJson_reportsTheS3Steps() {
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor", "--json");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("\"S3 artifact root\"").contains("Probe object deleted");
    }

    @Test
    void missingBucket_failsWithTheBucketNamed_andASolution() {
        Map<String, String> e = env();
        e.put("MLFLOW_ARTIFACT_ROOT", "s3://no-such-bucket/doctor");
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("❌ S3 artifact root").contains("Bucket reachable: FAILED")
                .contains("Error: the S3 bucket 'no-such-bucket' does not exist")
                .contains("Solution: check the bucket in MLFLOW_ARTIFACT_ROOT").doesNotContain("Probe object written");
        assertThat(r.err()).contains("mlflow-secrets-auth: error:").doesNotContain("\tat ");
    }

    @Test
    void deniedWrite_failsThePutStep_andSaysWhatToGrant() {
        s3.gateway().fail("PutObject", 1, 403, "AccessDenied");
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("Bucket reachable: ok").contains("Probe object written: FAILED")
                .contains("Error: access denied to s3://mlflow-artifacts/doctor/.mlflow-secrets-auth-probe-")
                .contains("project-specific (MLFLOW_AWS_*)").contains("Solution: allow these credentials s3:PutObject");
        assertThat(r.all()).doesNotContain("CANARY");
    }

    @Test
    void anS3RootAlone_withNoSecretProviderEnabled_isChecked_andPasses() {
        Map<String, String> e = env();
        e.remove("MLFLOW_SECRETS_AUTH_ENABLE");
        e.remove("MLFLOW_AWS_SECRET_ID");
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("none enabled: only the S3 artifact root is checked").contains("✅ S3 artifact root")
                .contains("Probe object deleted: ok: ");
    }

    @Test
    void aMisconfiguredProvider_stillFailsDoctor_evenWithAnS3Root() {
        Map<String, String> e = env();
        e.remove("MLFLOW_AWS_SECRET_ID"); // aws-secrets-manager is enabled but not configured
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).doesNotContain("none enabled");
    }

    @Test
    void invalidRoot_isAOneLineConfigurationError() {
        Map<String, String> e = env();
        e.put("MLFLOW_ARTIFACT_ROOT", "s3://Not_A_Bucket/x");
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("❌ S3 artifact root").contains("Error: MLFLOW_ARTIFACT_ROOT names an invalid S3 bucket");
    }
}
