package io.github.mlflowsecretsauth.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The demo's child processes: the CLI, and the training client (the Java one, or train.py through {@code exec}). */
final class Children {
    private Children() {
    }

    /** What a training job is given: the tracking URI behind nginx, and where in Vault its credential is. */
    static Map<String, String> clientEnvironment(String mode, URI vault, URI nginx) {
        return Map.of("MLFLOW_TRACKING_URI", nginx.toString(), "MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth",
                "MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.toString(), "VAULT_TOKEN", LocalDemo.ROOT_TOKEN,
                "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth", "MLFLOW_VAULT_AUTH_MODE", mode,
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1,localhost");
    }

    /** The step title of the client run. */
    static String clientTitle(Tracking tracking) {
        return tracking.python().isPresent()
                ? "With the plugin: a Python client, demo/app/train.py, run as `mlflow-secrets-auth exec -- python3 train.py`"
                + " (zero code change)"
                : "With the plugin: the Java client logs experiments (MlflowSecretsAuth.mlflowClient(), env vars only)";
    }

    /** The training client: train.py through {@code exec} when Python's mlflow serves, else {@link DemoClient}. */
    static List<String> client(Path repo, Tracking tracking) {
        return tracking.python().map(python -> List.of(repo.resolve("bin/mlflow-secrets-auth").toString(), "exec", "--",
                python, repo.resolve("demo/app/train.py").toString())).orElseGet(() -> List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", ownJar(), DemoClient.class.getName()));
    }

    /**
     * Runs a child in {@code workDir} with a clean MLflow/Vault/cloud environment plus {@code env}; its output goes to
     * ours, or, when {@code quiet}, only its error lines and only if it fails.
     */
    static int run(List<String> cmd, Map<String, String> env, Path workDir, boolean quiet) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_") || k.startsWith("AWS_")
                || k.startsWith("AZURE_") || k.equals(Tracking.PYTHON));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        if (!quiet) {
            pb.inheritIO();
        }
        Process p = pb.start();
        String output = quiet ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8) : "";
        int code = p.waitFor();
        if (quiet && code != 0) {
            output.lines().filter(l -> l.contains("❌") || l.contains("Error:") || l.contains("Solution:"))
                    .forEach(l -> System.out.println("    " + l.strip()));
        }
        return code;
    }

    private static String ownJar() {
        try {
            return Path.of(LocalDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the demo jar", e);
        }
    }
}
