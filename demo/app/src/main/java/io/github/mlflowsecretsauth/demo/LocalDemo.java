package io.github.mlflowsecretsauth.demo;

import io.github.mlflowsecretsauth.tracking.memory.MlflowServer;
import io.github.mlflowsecretsauth.testkit.nginx.AccessRules;
import io.github.mlflowsecretsauth.testkit.nginx.Nginx;
import io.github.mlflowsecretsauth.testkit.vault.VaultServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The seed's demo without Docker: the testkit Vault (dev-mode token {@code demo-root-token-12345})
 * in place of the Vault container, the testkit MLflow server in place of MLflow's, and Debian's
 * nginx enforcing Basic auth, then an API key. It seeds the credential, shows a request without
 * the plugin failing with 401, then runs the Java client ({@link DemoClient}, a separate JVM
 * configured only by environment variables) in both auth modes, and checks the result.
 *
 * <p>Environment: {@code AUTH_MODE} = basic, bearer or both (default); {@code DEMO_SECRET_PASSWORD}
 * and {@code DEMO_SECRET_TOKEN} override what is seeded into Vault (try a wrong one). Exits 0 when
 * every step passes, 1 with a one-line reason otherwise.
 */
public final class LocalDemo {
    static final String ROOT_TOKEN = "demo-root-token-12345";
    static final String USER = "mlflow-user";
    static final String PASSWORD = "secure-password-123";
    static final String TOKEN = "mlflow-api-key-demo-567890abcdef";

    private final Path repo;
    private final Path workDir; // an empty directory for the children, so no stray .env is read
    private final HttpClient http = HttpClient.newHttpClient();

    private LocalDemo(Path repo, Path workDir) {
        this.repo = repo;
        this.workDir = workDir;
    }

    public static void main(String[] args) {
        Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        String modes = Optional.ofNullable(System.getenv("AUTH_MODE")).orElse("both").toLowerCase(java.util.Locale.ROOT);
        if (!List.of("basic", "bearer", "both").contains(modes)) {
            System.err.println("❌ AUTH_MODE must be basic, bearer or both");
            System.exit(2);
        }
        Path workDir = null;
        try {
            workDir = Files.createTempDirectory("mlflow-secrets-auth-demo-");
            int code = new LocalDemo(repo, workDir).run(modes);
            Files.deleteIfExists(workDir);
            System.exit(code);
        } catch (IllegalStateException | IOException e) {
            System.err.println("❌ " + String.valueOf(e.getMessage()).lines().findFirst().orElse("the demo failed"));
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    private int run(String modes) throws IOException, InterruptedException {
        step("Starting the stack: Vault (testkit, dev mode), MLflow tracking server (testkit) and nginx (Debian)");
        if (!Nginx.isAvailable()) {
            throw new IllegalStateException(Nginx.NOT_INSTALLED + " (the demo puts a real nginx in front of MLflow)");
        }
        try (VaultServer vault = VaultServer.builder().rootToken(ROOT_TOKEN).start();
             MlflowServer mlflow = MlflowServer.builder().start();
             Nginx nginx = Nginx.builder().upstream(mlflow.uri()).basicAuth(USER, PASSWORD).start()) {
            say("Vault   " + vault.address() + "  (root token " + ROOT_TOKEN + ")");
            say("MLflow  " + mlflow.uri() + "  (not reachable by clients directly in this story)");
            say("nginx   " + nginx.uri() + "  (the only way in; it demands a credential)");
            List<String> order = modes.equals("both") ? List.of("basic", "bearer") : List.of(modes);
            for (String mode : order) {
                if (!runMode(mode, vault, mlflow, nginx)) {
                    return 1;
                }
            }
            step("Result");
            int runs = mlflow.runs(mlflow.experimentByName("mlflow-secrets-auth-demo").orElseThrow().experimentId()).size();
            say("The MLflow server holds " + runs + " runs in 'mlflow-secrets-auth-demo', logged through nginx with credentials");
            say("fetched from Vault by mlflow-secrets-auth. The training code never saw a password or token.");
            System.out.println();
            System.out.println("✅ Demo complete.");
            return 0;
        }
    }

    private boolean runMode(String mode, VaultServer vault, MlflowServer mlflow, Nginx nginx) throws IOException, InterruptedException {
        boolean basic = mode.equals("basic");
        step("AUTH_MODE=" + mode + ": seeding Vault and configuring nginx");
        if (basic) {
            String pw = Optional.ofNullable(System.getenv("DEMO_SECRET_PASSWORD")).orElse(PASSWORD);
            vault.putSecret("secret/mlflow/auth", Map.of("username", USER, "password", pw));
            nginx.replaceCredentials(AccessRules.none().withBasicUser(USER, PASSWORD));
            say("vault kv put secret/mlflow/auth username=" + USER + " password=********");
            say("nginx: auth_basic with an htpasswd entry for " + USER);
        } else {
            String token = Optional.ofNullable(System.getenv("DEMO_SECRET_TOKEN")).orElse(TOKEN);
            vault.putSecret("secret/mlflow/auth", Map.of("token", token));
            nginx.replaceCredentials(AccessRules.none().withBearerTokens(TOKEN));
            say("vault kv put secret/mlflow/auth token=********");
            say("nginx: only 'Authorization: Bearer <the API key>' gets through");
        }

        step("Without the plugin: a plain request to nginx");
        URI probe = URI.create(nginx.uri() + "/api/2.0/mlflow/experiments/search?max_results=1");
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(probe).build(), HttpResponse.BodyHandlers.ofString());
        say("GET " + probe.getPath() + " -> HTTP " + plain.statusCode() + (plain.statusCode() == 401 ? " (rejected, as expected)" : ""));
        if (plain.statusCode() != 401) {
            System.err.println("❌ nginx let an unauthenticated request through (HTTP " + plain.statusCode() + ")");
            return false;
        }

        Map<String, String> env = clientEnvironment(mode, vault, nginx);
        step("mlflow-secrets-auth doctor --dry-run " + nginx.uri());
        int doctor = runChild(List.of(repo.resolve("bin/mlflow-secrets-auth").toString(), "doctor", "--dry-run",
                nginx.uri().toString()), env, true);
        if (doctor != 0) {
            System.err.println("❌ doctor failed for AUTH_MODE=" + mode + ": the credential in Vault is not accepted by nginx "
                    + "(see the report above)");
            return false;
        }
        say("doctor: the credential from Vault is accepted (details with: bin/mlflow-secrets-auth doctor --dry-run URL)");

        step("With the plugin: the Java client logs experiments (MlflowSecretsAuth.mlflowClient(), env vars only)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int client = runChild(List.of(java, "-cp", ownJar(), DemoClient.class.getName()), env, false);
        if (client != 0) {
            System.err.println("❌ the demo client failed for AUTH_MODE=" + mode);
            return false;
        }
        return true;
    }

    private Map<String, String> clientEnvironment(String mode, VaultServer vault, Nginx nginx) {
        return Map.of("MLFLOW_TRACKING_URI", nginx.uri().toString(), "MLFLOW_TRACKING_AUTH", "mlflow_secrets_auth",
                "MLFLOW_SECRETS_AUTH_ENABLE", "vault", "VAULT_ADDR", vault.address().toString(), "VAULT_TOKEN", ROOT_TOKEN,
                "MLFLOW_VAULT_SECRET_PATH", "secret/mlflow/auth", "MLFLOW_VAULT_AUTH_MODE", mode,
                "MLFLOW_SECRETS_ALLOWED_HOSTS", "127.0.0.1,localhost");
    }

    /** Runs a child with a clean MLflow/Vault environment plus {@code env}; its output goes to ours. */
    private int runChild(List<String> cmd, Map<String, String> env, boolean quiet) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("MLFLOW_") || k.startsWith("VAULT_") || k.startsWith("AWS_")
                || k.startsWith("AZURE_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        if (!quiet) {
            pb.inheritIO();
        }
        Process p = pb.start();
        String output = quiet ? new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) : "";
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

    private static void step(String title) {
        System.out.println();
        System.out.println("==> " + title);
    }

    private static void say(String line) {
        System.out.println("    " + line);
    }
}
