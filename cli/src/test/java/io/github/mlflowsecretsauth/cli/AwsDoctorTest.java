package io.github.mlflowsecretsauth.cli;

import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.aws.AwsServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** doctor with the AWS provider against the testkit AWS server: STS identity, secret, header; and failures. */
class AwsDoctorTest {
    private static final String SECRET_KEY = "CANARYdoctorSecretKey/0000000000000000000";

    @TempDir
    Path dir;
    private AwsServer aws;

    @BeforeEach
    void start() {
        aws = AwsServer.builder().principal(AwsPrincipal.user("mlflow-project", "AKIADOCTORPROJECT001", SECRET_KEY)).start();
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
        e.put("MLFLOW_AWS_DEFAULT_REGION", aws.region());
        e.put("MLFLOW_AWS_ACCESS_KEY_ID", "AKIADOCTORPROJECT001");
        e.put("MLFLOW_AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        e.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return e;
    }

    @Test
    void doctor_showsTheAwsIdentity_andBuildsTheHeader() {
        CliRunner.Result r = CliRunner.run(env(), dir, "doctor");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("✅ AWS credentials").contains("Source: project-specific (MLFLOW_AWS_*)")
                .contains("Account: ").contains("ARN: arn:aws:iam::").contains("✅ Secret retrieval (aws-secrets-manager)");
        assertThat(r.all()).doesNotContain("CANARY");
    }

    @Test
    void doctor_unknownKey_failsTheIdentityCheck_namingTheSource() {
        Map<String, String> e = env();
        e.put("MLFLOW_AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000001");
        CliRunner.Result r = CliRunner.run(e, dir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("❌ AWS credentials").contains("MLFLOW_AWS_");
        assertThat(r.all()).doesNotContain("CANARY");
    }
}
