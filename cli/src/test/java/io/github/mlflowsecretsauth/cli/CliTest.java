package io.github.mlflowsecretsauth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI in-process, against the testkit Vault and a stub MLflow endpoint, over real sockets. */
class CliTest {
    static final String PASSWORD = "CANARYcliPassw0rd-4242";
    static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(("mlflow-user:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path workDir;
    private VaultServer vault;

    @BeforeEach
    void start() {
        vault = VaultServer.builder().rootToken("CANARYroot-token-abcdef").start();
        vault.putSecret("secret/mlflow/auth", Map.of("username", "mlflow-user", "password", PASSWORD));
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        e.put("VAULT_ADDR", vault.address().toString());
        e.put("VAULT_TOKEN", vault.rootToken());
        e.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        e.put("MLFLOW_VAULT_AUTH_MODE", "basic");
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1,localhost");
        return e;
    }

    private static void assertNoSecret(CliRunner.Result r) {
        assertThat(r.all().contains(PASSWORD)).as("password in CLI output").isFalse();
        assertThat(r.all().contains(BASIC.substring(6))).as("basic credential in CLI output").isFalse();
        assertThat(r.all().contains("CANARYroot-token-abcdef")).as("vault token in CLI output").isFalse();
    }

    @Test
    void help_explainsEveryCommand() {
        CliRunner.Result root = CliRunner.run(Map.of(), workDir, "--help");
        assertThat(root.exit()).isZero();
        assertThat(root.out()).contains("info").contains("doctor").contains("Exit status");
        CliRunner.Result doctor = CliRunner.run(Map.of(), workDir, "doctor", "--help");
        assertThat(doctor.exit()).isZero();
        assertThat(doctor.out()).contains("--dry-run").contains("--json").contains("experiments/search");
        assertThat(CliRunner.run(Map.of(), workDir, "info", "--help").out()).contains("--json").contains("Contacts no backend");
    }

    @Test
    void unknownCommand_exitsTwo_withAOneLineHint() {
        CliRunner.Result r = CliRunner.run(Map.of(), workDir, "frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate").contains("--help").doesNotContain("Exception");
    }

    @Test
    void info_withNothingConfigured_reportsAndExitsZero() {
        CliRunner.Result r = CliRunner.run(Map.of(), workDir, "info");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("no provider is enabled").contains("MLFLOW_SECRETS_AUTH_ENABLE=vault");
    }

    @Test
    void info_withInvalidConfiguration_printsOneLineNamingTheVariable() {
        Map<String, String> e = env();
        e.put("MLFLOW_VAULT_TTL_SEC", "0");
        CliRunner.Result r = CliRunner.run(e, workDir, "info");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).contains("MLFLOW_VAULT_TTL_SEC").doesNotContain("\n").doesNotContain("at io.");
    }

    @Test
    void info_showsProvidersAndWhereVariablesCameFrom_butNoValues() throws Exception {
        Map<String, String> e = env();
        String token = e.remove("VAULT_TOKEN");
        Files.writeString(workDir.resolve(".env"), "VAULT_TOKEN=" + token + "\nMLFLOW_VAULT_TTL_SEC=120\n");
        e.put("MLFLOW_VAULT_TTL_SEC", "60"); // the real environment wins over .env
        CliRunner.Result r = CliRunner.run(e, workDir, "info");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("vault: enabled and configured (selected)").contains("VAULT_TOKEN (.env file)")
                .contains("MLFLOW_VAULT_TTL_SEC (environment)").contains("Cache TTL: 60 seconds")
                .contains("aws-secrets-manager: disabled").contains("azure-key-vault: disabled")
                .doesNotContain("mlflow-secrets-auth-azure not installed"); // the CLI bundles the azure module
        assertNoSecret(r);
    }

    @Test
    void doctor_fetchesTheSecret_andShowsTheHeaderMasked() {
        CliRunner.Result r = CliRunner.run(env(), workDir, "doctor");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("✅ Secret retrieval (vault)").contains("Header value: Basic ")
                .contains("********").contains("All checks passed!");
        assertNoSecret(r);
    }

    @Test
    void doctor_dryRun_exitsZeroWhenTheServerAcceptsTheCredential() throws Exception {
        try (StubMlflowServer mlflow = new StubMlflowServer("Authorization", BASIC, null)) {
            CliRunner.Result r = CliRunner.run(env(), workDir, "doctor", "--dry-run", mlflow.uri().toString());
            assertThat(r.exit()).as(r.all()).isZero();
            assertThat(r.out()).contains("Response: 200");
            assertThat(mlflow.lastAuthorization()).isEqualTo(BASIC);
            assertNoSecret(r);
        }
    }

    @Test
    void doctor_dryRun_401_exitsOne_withTheSeedMessageAndHint() throws Exception {
        try (StubMlflowServer mlflow = new StubMlflowServer("Authorization", "Basic something-else", null)) {
            CliRunner.Result r = CliRunner.run(env(), workDir, "doctor", "--dry-run", mlflow.uri().toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("MLflow authentication error (HTTP 401): Invalid credentials").contains("Solution:");
            assertThat(r.err().strip()).contains("HTTP 401").doesNotContain("\n");
            assertNoSecret(r);
        }
    }

    @Test
    void doctor_dryRun_hostOutsideAllowlist_sendsNothing() throws Exception {
        try (StubMlflowServer mlflow = new StubMlflowServer("Authorization", BASIC, null)) {
            Map<String, String> e = env();
            e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "mlflow.company.com");
            CliRunner.Result r = CliRunner.run(e, workDir, "doctor", "--dry-run", mlflow.uri().toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("host not in allowlist").contains("MLFLOW_SECRETS_ALLOWED_HOSTS");
            assertThat(mlflow.requests()).isZero();
        }
    }

    @Test
    void doctor_dryRun_redirect_isNotFollowed_soTheCredentialStaysHome() throws Exception {
        try (StubMlflowServer elsewhere = new StubMlflowServer("Authorization", BASIC, null);
             StubMlflowServer redirecting = new StubMlflowServer("Authorization", BASIC,
                     "http://localhost:" + elsewhere.uri().getPort() + "/api/2.0/mlflow/experiments/search")) {
            CliRunner.Result r = CliRunner.run(env(), workDir, "doctor", "--dry-run", redirecting.uri().toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.out()).contains("redirected").contains("not followed");
            assertThat(elsewhere.requests()).isZero();
        }
    }

    @Test
    void doctor_dryRun_malformedUrl_isAOneLineError() {
        CliRunner.Result r = CliRunner.run(env(), workDir, "doctor", "--dry-run", "mlflow.company.com");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("--dry-run URL").doesNotContain("Exception");
    }

    @Test
    void doctor_secretMissing_exitsOne_namingThePath() {
        Map<String, String> e = env();
        e.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/absent");
        CliRunner.Result r = CliRunner.run(e, workDir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("❌ Secret retrieval (vault)").contains("secret/mlflow/absent");
    }

    @Test
    void doctor_json_isValidJson_withChecks() throws Exception {
        CliRunner.Result r = CliRunner.run(env(), workDir, "doctor", "--json");
        assertThat(r.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(json.path("checks")).anySatisfy(c -> assertThat(c.path("name").asText()).isEqualTo("Auth construction"));
        assertNoSecret(r);
    }

    @Test
    void info_json_isValidJson() throws Exception {
        CliRunner.Result r = CliRunner.run(env(), workDir, "info", "--json");
        assertThat(r.exit()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).path("command").asText()).isEqualTo("info");
    }

    @Test
    void status_reportsTheSeedFields_andWithCheckTheCredentialAge() throws Exception {
        Map<String, String> e = env();
        e.put("MLFLOW_TRACKING_URI", "https://mlflow.company.com");
        CliRunner.Result r = CliRunner.run(e, workDir, "status", "--json", "--check");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(r.out());
        assertThat(s.path("tracking_uri").asText()).isEqualTo("https://mlflow.company.com");
        assertThat(s.path("auth_type").asText()).isEqualTo("basic");
        assertThat(s.path("is_configured").asBoolean()).isTrue();
        assertThat(s.path("is_remote").asBoolean()).isTrue();
        assertThat(s.path("provider").asText()).isEqualTo("vault");
        assertThat(s.path("host_allowed").asBoolean()).isFalse();
        assertThat(s.path("cache_state").asText()).isEqualTo("FRESH");
        assertThat(s.path("mode").asText()).isEqualTo("normal");
        assertThat(s.path("credential_age_seconds").asLong()).isZero();
        assertNoSecret(r);
        CliRunner.Result none = CliRunner.run(Map.of(), workDir, "status");
        assertThat(none.exit()).isZero();
        assertThat(none.out()).contains("auth_type: none").contains("is_configured: false");
    }

    @Test
    void config_printsTheSeedSummary_withProjectScopedAwsCredentialsFromDotEnv() throws Exception {
        Files.writeString(workDir.resolve(".env"), String.join("\n",
                "MLFLOW_ARTIFACT_ROOT=s3://my-mlflow-bucket/mlflow-artifacts",
                "MLFLOW_AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
                "MLFLOW_AWS_SECRET_ACCESS_KEY=CANARYwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
                "MLFLOW_AWS_DEFAULT_REGION=us-east-1", ""));
        Map<String, String> e = new HashMap<>(Map.of("MLFLOW_TRACKING_URI", "http://localhost:5000",
                "AWS_ACCESS_KEY_ID", "AKIAGLOBALKEY0000000", "AWS_SECRET_ACCESS_KEY", "CANARYglobalSecretKey0000000000000000"));
        CliRunner.Result r = CliRunner.run(e, workDir, "config");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("MLflow Configuration:").contains("Tracking URI: http://localhost:5000")
                .contains("Storage Type: S3 (Remote)").contains("Artifact Root: s3://my-mlflow-bucket/mlflow-artifacts")
                .contains("AWS Credentials: project-specific (MLFLOW_AWS_*)").contains("AWS Region: us-east-1");
        assertThat(r.all()).doesNotContain("CANARY");
        Files.delete(workDir.resolve(".env"));
        CliRunner.Result global = CliRunner.run(e, workDir, "config", "--json");
        JsonNode json = new ObjectMapper().readTree(global.out());
        assertThat(json.path("aws_credentials").asText()).isEqualTo("global (AWS_*)");
        assertThat(json.path("storage_type").asText()).isEqualTo("Tracking server default");
        assertThat(global.all()).doesNotContain("CANARY");
    }

    @Test
    void malformedDotEnv_isAOneLineError_withTheLineNumber() throws Exception {
        Files.writeString(workDir.resolve(".env"), "GOOD=1\nthis line is wrong\n");
        CliRunner.Result r = CliRunner.run(env(), workDir, "doctor");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(".env line 2");
    }
}
