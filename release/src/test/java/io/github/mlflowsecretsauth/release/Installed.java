package io.github.mlflowsecretsauth.release;

import io.github.mlflowsecretsauth.testkit.vault.VaultServer;
import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.tracking.memory.RequestGate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs an installed launcher (from the tarball or the Debian package) as a user would: a fresh process in a folder of
 * its own, with only PATH and HOME from this JVM, against a testkit Vault and an MLflow server that accepts only
 * the credential stored in that Vault. {@link #checkCommands} is the smoke test both release ITs run.
 */
final class Installed implements AutoCloseable {
    static final String PASSWORD = "CANARYreleasePw-5521";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString(("mlflow-user:" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final VaultServer vault;
    private final MlflowServer mlflow;

    Installed() {
        vault = VaultServer.builder().rootToken("CANARYrelease-root-tok").start();
        vault.putSecret("secret/mlflow/auth", Map.of("username", "mlflow-user", "password", PASSWORD));
        RequestGate onlyTheStoredCredential = (request, body) -> BASIC.equals(request.getHeaders().get("Authorization"))
                ? Optional.empty()
                : Optional.of(new RequestGate.Rejection(401, "{\"error_code\": \"UNAUTHENTICATED\", \"message\": \"bad credentials\"}"));
        mlflow = MlflowServer.builder().gate(onlyTheStoredCredential).start();
    }

    /** The release files the package phase wrote (failsafe passes {@code dist.dir}). */
    static Path distFile(String glob) throws IOException {
        List<Path> found = distFiles(glob);
        assertThat(found).as("%s in %s (built by 'mvn -pl release -am package')", glob, distDir()).hasSize(1);
        return found.get(0);
    }

    static List<Path> distFiles(String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (var files = Files.newDirectoryStream(distDir(), glob)) {
            files.forEach(found::add);
        }
        return found;
    }

    private static Path distDir() {
        return Path.of(System.getProperty("dist.dir", "target/dist"));
    }

    static String version() {
        return System.getProperty("project.version", "0.1.0-SNAPSHOT");
    }

    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Runs {@code launcher args} in {@code workDir} with PATH, HOME and {@code env}; nothing else of this JVM's environment. */
    static Run run(Path launcher, Path workDir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        pb.environment().put("HOME", workDir.toString());
        pb.environment().put("MLFLOW_SECRETS_AUTH_CDS", "0");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(workDir, "stdout", ".txt");
        Path err = Files.createTempFile(workDir, "stderr", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(launcher + " " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** {@code --version}, {@code info} and {@code doctor --dry-run} through the installed launcher, from {@code workDir}. */
    void checkCommands(Path launcher, Path workDir) throws Exception {
        Run version = run(launcher, workDir, Map.of(), "--version");
        assertThat(version.exit()).as(version.all()).isZero();
        assertThat(version.out()).contains("mlflow-secrets-auth " + version());
        assertThat(version.err()).as("an installed launcher builds nothing").doesNotContain("building").isEmpty();

        Run info = run(launcher, workDir, env(), "info");
        assertThat(info.exit()).as(info.all()).isZero();
        assertThat(info.out()).contains("vault");

        Run doctor = run(launcher, workDir, env(), "doctor", "--dry-run", mlflow.uri().toString());
        assertThat(doctor.exit()).as(doctor.all()).isZero();
        assertThat(doctor.out()).contains("Response: 200");
        assertThat(mlflow.requestCount("experiments/search")).isPositive();
        for (Run run : List.of(version, info, doctor)) {
            assertThat(run.all()).doesNotContain(PASSWORD).doesNotContain(BASIC.substring(6)).doesNotContain(vault.rootToken());
        }
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>();
        e.put("MLFLOW_SECRETS_AUTH_ENABLE", "vault");
        e.put("VAULT_ADDR", vault.address().toString());
        e.put("VAULT_TOKEN", vault.rootToken());
        e.put("MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth");
        e.put("MLFLOW_VAULT_AUTH_MODE", "basic");
        e.put("MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1");
        return e;
    }

    @Override
    public void close() {
        try {
            mlflow.close();
        } finally {
            vault.close();
        }
    }
}
